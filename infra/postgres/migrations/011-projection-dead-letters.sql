-- Dead letters of every projection, whatever feeds it (the embedded tail of the log, or a Kafka
-- topic): an event that is not valid, or whose projection failed twice, is kept here with the
-- reason, and the projection moves on past it. An operator fixes the cause and asks for a replay
-- (npm run rebuild -- --target dead-letters); the process running the projection then applies it.
CREATE TABLE IF NOT EXISTS projection_dead_letters (
  id                  bigserial PRIMARY KEY,
  projection          text NOT NULL,
  -- 'event-log' for the embedded tail, or the Kafka topic.
  source              text NOT NULL,
  -- Kafka partition; 0 for the log.
  partition           integer NOT NULL,
  -- Kafka offset, or the log position: where the projection found it, so a redelivery is one row.
  source_offset       bigint NOT NULL,
  -- The message as it came (the event envelope as JSON, or what the topic held instead).
  payload             text NOT NULL,
  reason              text NOT NULL,
  dead_lettered_at    timestamptz NOT NULL DEFAULT now(),
  replay_requested_at timestamptz,
  replayed_at         timestamptz,
  replay_attempts     integer NOT NULL DEFAULT 0,
  UNIQUE (projection, source, partition, source_offset)
);
CREATE INDEX IF NOT EXISTS projection_dead_letters_requested
  ON projection_dead_letters (projection, source) WHERE replay_requested_at IS NOT NULL AND replayed_at IS NULL;
