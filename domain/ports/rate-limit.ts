/**
 * Counts requests per client in fixed windows, for the API's rate limit. With several API processes the counter
 * must be shared, or each process grants the whole budget on its own.
 */
export interface HitCounter {
  /** Whether every process using the same backing store sees the same counts. */
  readonly shared: boolean;
  /** Counts one hit for `key` in its current window of `windowMs`, opening one if none is open. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** Takes back one hit of the current window, if one is open (a request not to be counted after all). */
  undo(key: string): Promise<void>;
  /** Forgets the key's window. */
  reset(key: string): Promise<void>;
  /**
   * A secret the processes sharing the counter agree on, to key client ids before they become counter keys: the
   * store must not hold citizen ids, and a plain hash of an id is easy to reverse.
   */
  keySecret(): Promise<Buffer>;
  close(): Promise<void>;
}

export interface WindowCount {
  /** Hits in the window so far, this one included. */
  hits: number;
  /** When the window ends, in epoch milliseconds. */
  resetAt: number;
}
