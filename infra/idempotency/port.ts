export type StoredResponse = { statusCode: number; body: unknown; etag: string | null };

export type Reservation =
  | { outcome: 'reserved' }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'different-request' }
  | { outcome: 'in-progress' };

/** Remembers command responses by (tenant, Idempotency-Key) for 24 hours. */
export interface IdempotencyStore {
  reserve(tenantId: string, key: string, requestHash: string): Promise<Reservation>;
  complete(tenantId: string, key: string, response: StoredResponse): Promise<void>;
  /** The first request failed without an answer worth replaying: let a retry run it again. */
  release(tenantId: string, key: string): Promise<void>;
  /** Deletes records past their retention at `now` (the scheduler's clock); returns how many. */
  purgeExpired(now: Date): Promise<number>;
}
