-- Idempotency-Key requests survive crashes (DESIGN §5, at most one effect per key). A record now
-- says which process runs its request (`holder`: the advisory lock that process holds for its
-- life, see infra/idempotency/process-liveness.ts), when its first attempt started (`started_at`:
-- the ids a keyed request generates derive from it, so every attempt addresses the same new
-- streams) and how many attempts ran. A request that failed without an answer is 'interrupted':
-- the next attempt resumes it instead of starting over.
ALTER TABLE idempotency_records ADD COLUMN IF NOT EXISTS holder integer;
ALTER TABLE idempotency_records ADD COLUMN IF NOT EXISTS started_at timestamptz;
ALTER TABLE idempotency_records ADD COLUMN IF NOT EXISTS attempt integer NOT NULL DEFAULT 1;
UPDATE idempotency_records SET started_at = created_at WHERE started_at IS NULL;
ALTER TABLE idempotency_records ALTER COLUMN started_at SET NOT NULL;
ALTER TABLE idempotency_records ALTER COLUMN started_at SET DEFAULT now();
ALTER TABLE idempotency_records DROP CONSTRAINT IF EXISTS idempotency_records_state_check;
ALTER TABLE idempotency_records ADD CONSTRAINT idempotency_records_state_check
  CHECK (state IN ('pending', 'interrupted', 'completed'));
