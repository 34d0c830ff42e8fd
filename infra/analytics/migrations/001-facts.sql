-- Facts: one row per event that matters to analysts, keyed so that the same event written twice
-- (a redelivered batch, a replay) collapses into one row. Rollups below never count an event twice
-- either: they count distinct event ids. tenant_id comes first in every sort key.

-- One row per member event: joins, status changes, membership type changes.
CREATE TABLE IF NOT EXISTS member_facts (
  tenant_id          UUID,
  member_id          UUID,
  revision           UInt32,
  occurred_at        DateTime64(3, 'UTC'),
  event_type         LowCardinality(String),
  -- The status the event leaves the member in; NULL when it does not change it.
  status             LowCardinality(Nullable(String)),
  -- Set (1) when the event sets the membership type (which may be NULL: none).
  membership_type_set UInt8,
  membership_type_id Nullable(UUID),
  event_id           UUID
) ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, member_id, revision);

-- One row per engagement signal.
CREATE TABLE IF NOT EXISTS activity_facts (
  tenant_id     UUID,
  occurred_at   DateTime64(3, 'UTC'),
  member_id     UUID,
  activity_type LowCardinality(String),
  event_id      UUID
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (tenant_id, toDate(occurred_at), member_id, event_id);

-- One row per event that changes what a member pays each month (MRR): a subscription started or
-- changed (its monthly amount), or cancelled (0). Renewals and scheduled cancellations change nothing.
CREATE TABLE IF NOT EXISTS subscription_facts (
  tenant_id            UUID,
  member_id            UUID,
  revision             UInt32,
  occurred_at          DateTime64(3, 'UTC'),
  event_type           LowCardinality(String),
  monthly_amount_cents Int64,
  -- Empty on a cancellation: the currency is the one of the member's subscription before it.
  currency             LowCardinality(String),
  membership_type_id   Nullable(UUID),
  billing_interval     LowCardinality(String),
  event_id             UUID
) ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, member_id, revision);

-- Daily activity per member: the rollup engagement and retention read. Counting distinct event
-- ids (uniqExact) makes it immune to the same activity arriving twice.
CREATE TABLE IF NOT EXISTS member_activity_daily (
  tenant_id  UUID,
  day        Date,
  member_id  UUID,
  activities AggregateFunction(uniqExact, UUID)
) ENGINE = AggregatingMergeTree
ORDER BY (tenant_id, day, member_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS member_activity_daily_mv TO member_activity_daily AS
SELECT tenant_id, toDate(occurred_at) AS day, member_id, uniqExactState(event_id) AS activities
FROM activity_facts
GROUP BY tenant_id, day, member_id;
