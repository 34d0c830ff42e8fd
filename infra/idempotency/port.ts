export type StoredResponse = { statusCode: number; body: unknown; etag: string | null };

/**
 * `startedAt` is when the key's first attempt began: the ids the request generates derive from
 * it (and the key), so every attempt creates the same streams. `resumed` says an earlier attempt
 * may have had effects (it crashed or failed without an answer): this one must finish its work,
 * not repeat it.
 */
export type Reservation =
  | { outcome: 'reserved'; startedAt: string; resumed: boolean }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'different-request' }
  | { outcome: 'in-progress' };

/**
 * Remembers command responses by (tenant, Idempotency-Key) for 24 hours. A key's request runs in
 * one process at a time: another attempt is refused while the first one's process lives.
 */
export interface IdempotencyStore {
  /** `now` (the application's clock) becomes the first attempt's start. */
  reserve(tenantId: string, key: string, requestHash: string, now: string): Promise<Reservation>;
  complete(tenantId: string, key: string, response: StoredResponse): Promise<void>;
  /** The attempt failed without an answer worth replaying: the next attempt resumes it. */
  interrupt(tenantId: string, key: string): Promise<void>;
}
