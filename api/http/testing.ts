/**
 * Test harness for anyone testing routes over real HTTP: builds the app with a configuration from environment-style
 * overrides, captures its log lines, listens on port 0. Not imported by production code.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../../adapters/config/index.ts';
import { createHttpApp, type HttpApp, type HttpAppOptions } from './app.ts';
import type { ReadinessReport } from './health.ts';
import { startHttpServer } from './server.ts';

export interface CapturedLogs {
  logger: Logger;
  /** Every log line, parsed. */
  lines: Array<Record<string, unknown>>;
  /** The raw text of every line, for "never contains" assertions. */
  text(): string;
}

export function captureLogs(): CapturedLogs {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines, text: () => raw.join('') };
}

/** A configuration as loadConfig builds it, in a fresh data directory, with development sign-in off by default. */
export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'errand-http-'));
  return loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUTH_DEV_SIGNIN: 'false', DEMO_DATA: 'false', ...env });
}

export interface TestApp {
  url: string;
  http: HttpApp;
  logs: CapturedLogs;
  config: Config;
  close(): Promise<void>;
}

export type TestAppOptions = Partial<Omit<HttpAppOptions, 'logger'>> & Pick<HttpAppOptions, 'routes'>;

export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const logs = captureLogs();
  const config = options.config ?? testConfig();
  const ready: ReadinessReport = { ok: true, checks: {} };
  const http = createHttpApp({
    readiness: async () => ready,
    ...options,
    config,
    logger: logs.logger,
  });
  const server = await startHttpServer(http.app, { port: 0, host: '127.0.0.1', shutdownTimeoutMs: 2_000 });
  return { url: `http://127.0.0.1:${server.port}`, http, logs, config, close: () => server.close() };
}
