export { ConfigError, loadConfig } from './config.ts';
export type { Config, LogLevel, ProcessRole } from './config.ts';
