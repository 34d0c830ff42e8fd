-- The analytics data version of each tenant: moved on in the same statement that advances the
-- ClickHouse projection's checkpoint, for every tenant whose events of the batch wrote fact rows
-- (projectors/runtime/analytics-batch.ts); also by a dead letter's replay and, for every tenant,
-- at the end of a rebuild. The query APIs cache analytics answers under it
-- (query-api/analytics/answer-cache.ts): every process reads the same version, so an answer
-- cached by one is never served by any once the tenant's data has changed. `version` counts
-- changes: positions alone cannot say it, since Kafka partitions apply a tenant's events in any
-- interleaving (a lower position may land after a higher one). `position` is the highest applied.
CREATE TABLE IF NOT EXISTS analytics_tenant_versions (
  tenant_id  uuid PRIMARY KEY,
  version    bigint NOT NULL,
  position   bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT ON analytics_tenant_versions TO {{query_role}};
ALTER TABLE analytics_tenant_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_tenant_versions FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON analytics_tenant_versions;
CREATE POLICY tenant_isolation ON analytics_tenant_versions TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
DROP POLICY IF EXISTS projector_writes ON analytics_tenant_versions;
DO $$ BEGIN EXECUTE format('CREATE POLICY projector_writes ON analytics_tenant_versions TO %I USING (true)', current_user); END $$;
