/**
 * Token ids seen until their token expires: a captured request cannot be played again within its lifetime. With
 * several instances of one department's gateway behind a balancer the cache must be shared, or a request refused as
 * a replay by one instance would be answered by the next.
 */
export interface ReplayCache {
  /** True the first time an id is offered before it expires, false for a replay. */
  firstUse(jti: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
  close(): Promise<void>;
}
