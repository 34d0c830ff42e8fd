-- The event log. `position` is the global order: the writing transaction's id shifted left by 12
-- bits plus the event's index in its append. Readers only read below the oldest transaction still
-- running (pg_snapshot_xmin), so an append that commits late can never be skipped: its position is
-- below the watermark only once it is finished.
CREATE TABLE IF NOT EXISTS events (
  position        bigint PRIMARY KEY,
  event_id        uuid NOT NULL UNIQUE,
  stream_id       text NOT NULL,
  stream_revision integer NOT NULL,
  tenant_id       uuid NOT NULL,
  type            text NOT NULL,
  schema_version  integer NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision)
);

CREATE INDEX IF NOT EXISTS events_tenant_position ON events (tenant_id, position);

-- Events are immutable: the database refuses to change or remove one, whoever asks.
CREATE OR REPLACE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS events_immutable ON events;
CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION refuse_event_change();
DROP TRIGGER IF EXISTS events_no_truncate ON events;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_change();
