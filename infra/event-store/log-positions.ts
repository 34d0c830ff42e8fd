/**
 * Positions of the global log (migration 001): the writing transaction's id shifted left by
 * `positionIndexBits`, plus the event's index within that transaction, hence at most
 * `maxEventsPerTransaction` events per transaction. A reader that stays below the watermark (the
 * oldest running transaction's id, shifted alike) never skips an event that commits late.
 */
export const positionIndexBits = 12;
export const maxEventsPerTransaction = 2 ** positionIndexBits;
/** SQL: the first position of the current transaction's events. */
export const firstPositionOfThisTransaction = `(pg_current_xact_id()::text::bigint << ${positionIndexBits})`;
/** SQL: every position below it is final (committed, or never will be). */
export const watermarkSql = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << ${positionIndexBits})`;
