-- Kafka-driven projections keep, per partition, the next offset to apply and the highest log
-- position applied, in the same transaction as the read-model change they account for.
CREATE TABLE IF NOT EXISTS projection_partition_offsets (
  projection  text NOT NULL,
  topic       text NOT NULL,
  partition   integer NOT NULL,
  next_offset bigint NOT NULL,
  position    bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, topic, partition)
);
GRANT SELECT ON projection_partition_offsets TO {{query_role}};
