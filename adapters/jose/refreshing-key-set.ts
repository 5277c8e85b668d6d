/**
 * Trusted public keys that follow their source (a JWKS file, a JWKS URL) while the process runs. Read once at start,
 * a key removed from the source (compromised, retired) stayed trusted until a restart; here the source is read again
 * when the keys are older than the refresh period, and at once (at most every `retryGapMs`) when a signature names a
 * kid the keys lack, so a key added on rotation is trusted without waiting.
 *
 * Chosen behaviour when reading fails (the file is missing or cut short, the URL does not answer, a key is refused):
 * the keys last read stay trusted, the failure is reported each time (never silent) and the read retried every
 * `retryGapMs`, but only for `maxStaleMs` after they were read. Past that nothing is trusted and `current` throws
 * KeysUnavailableError until a read succeeds: a brief outage of the key source does not stop the exchange, and a
 * removed key is never trusted longer than `maxStaleMs` even when the removal cannot be read. A source that reads
 * fine with no keys at all trusts none at once: that is a removal, not a failure.
 */
import type { KeySet } from './keys.ts';
import { parseJwks, publicKeySet } from './keys.ts';

export interface KeySource {
  /** The keys to verify with now; read again first when older than the refresh period. */
  current(): Promise<KeySet>;
  /** A signature named a kid the keys lack: read the source again (unless just read) and answer the keys then. */
  refreshForUnknownKid(): Promise<KeySet>;
}

/** The key source could not be read for longer than the keys read before may be trusted. */
export class KeysUnavailableError extends Error {
  readonly code = 'KEYS_UNAVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'KeysUnavailableError';
  }
}

export interface RefreshingKeySetOptions {
  /** Named in errors and reports: the file or URL. */
  source: string;
  /** Reads the source: a JWKS document (thrown errors and refused keys count as a failed read). */
  load: () => unknown;
  /** The keys as read at start (a bad source stops the start, before this is made). */
  initial: KeySet;
  /** A removed key is trusted at most this long after the last read that still had it. Default 60 s. */
  refreshMs?: number;
  /** Reads triggered by unknown kids or retries after a failure are at least this far apart. Default 5 s. */
  retryGapMs?: number;
  /** How long the keys last read stay trusted while the source cannot be read. Default 5 refresh periods. */
  maxStaleMs?: number;
  now?: () => number;
  /** Each failed read, with until when the keys last read are still trusted. */
  onReadFailed?: (error: Error, trustedUntil: number) => void;
}

export function createRefreshingKeySet(options: RefreshingKeySetOptions): KeySource {
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 60_000;
  const retryGapMs = Math.min(options.retryGapMs ?? 5_000, refreshMs);
  const maxStaleMs = options.maxStaleMs ?? 5 * refreshMs;
  let keys = options.initial;
  let readAt = now();
  let triedAt = readAt;
  let lastFailure: Error | null = null;
  let reading: Promise<void> | null = null;

  // One read at a time: answers arriving together wait for the same read instead of each reading the source.
  function read(): Promise<void> {
    reading ??= (async () => {
      triedAt = now();
      try {
        const document = await options.load();
        keys = publicKeySet(parseJwks(document, options.source), options.source);
        readAt = now();
        lastFailure = null;
      } catch (error) {
        lastFailure = error instanceof Error ? error : new Error(String(error));
        options.onReadFailed?.(lastFailure, readAt + maxStaleMs);
      }
    })().finally(() => {
      reading = null;
    });
    return reading;
  }

  function trusted(): KeySet {
    const age = now() - readAt;
    if (age > maxStaleMs) {
      throw new KeysUnavailableError(`${options.source} has not been read for ${Math.round(age / 1000)} s (${lastFailure?.message ?? 'no read since'}): no key is trusted until it is`);
    }
    return keys;
  }

  return {
    async current() {
      if (reading) await reading;
      else if (now() - readAt >= refreshMs && now() - triedAt >= retryGapMs) await read();
      return trusted();
    },
    async refreshForUnknownKid() {
      // A read under way may bring the key: wait for it rather than answer with the keys it is replacing.
      if (reading) await reading;
      else if (now() - triedAt >= retryGapMs) await read();
      return trusted();
    },
  };
}

/** A fixed set as a KeySource (keys given in code or by a test, with nothing to follow). */
export function fixedKeySource(keys: KeySet): KeySource {
  return { current: async () => keys, refreshForUnknownKid: async () => keys };
}
