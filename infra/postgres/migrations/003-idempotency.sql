-- Responses to commands sent with an Idempotency-Key, kept 24 hours. A row is 'pending' while its
-- first request runs, so a concurrent duplicate cannot run the command a second time.
CREATE TABLE IF NOT EXISTS idempotency_records (
  tenant_id    uuid NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  state        text NOT NULL CHECK (state IN ('pending', 'completed')),
  status_code  integer,
  response     jsonb,
  etag         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX IF NOT EXISTS idempotency_records_created ON idempotency_records (created_at);
