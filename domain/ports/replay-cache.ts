/**
 * Token ids seen until their token expires: a captured request cannot be played again within its lifetime. With
 * several instances of one department's gateway behind a balancer the cache must be shared, or a request refused as
 * a replay by one instance would be answered by the next.
 *
 * It also keeps the answers given, by the platform's request key (the `rid` claim, one per evidence request however
 * often the platform retries it): a platform worker killed after the answer arrived but before it was recorded asks
 * again with a new token and the same key, and gets the kept answer instead of a second delivery from the
 * department's data. The answer is kept with a digest of what was asked, so the same key asking something else is
 * told so rather than served.
 */
export interface ReplayCache {
  /** True the first time an id is offered before it expires, false for a replay. */
  firstUse(jti: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
  /** The answer kept for this request key until it expires, or null. */
  keptAnswer(requestKey: string, nowMs: number): Promise<KeptAnswer | null>;
  /** Keeps an answer for repeats of its request until expiresAtMs; when one is already kept, the first stays. */
  keepAnswer(requestKey: string, answer: KeptAnswer, expiresAtMs: number, nowMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface KeptAnswer {
  /** Digest of the request's claims (item, subject, fields, purpose, requester) the answer was given to. */
  digest: string;
  /** The evidence result's body exactly as it was sent. */
  body: string;
}
