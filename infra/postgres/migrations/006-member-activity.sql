-- The latest activity per member, in its own table. Activities travel in other streams than their
-- member's, so on Kafka (key = stream id) in other partitions, applied in parallel by other
-- projector processes: an activity can be applied before, after or during its member's
-- registration. Written here alone, with greatest(), it is order-independent and idempotent; a
-- cross-table write (activity → rm_members row) could be lost between two concurrent transactions.
-- The query API joins it to rm_members.
CREATE TABLE IF NOT EXISTS rm_member_activity (
  tenant_id        uuid NOT NULL,
  member_id        uuid NOT NULL,
  last_activity_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, member_id)
);

INSERT INTO rm_member_activity (tenant_id, member_id, last_activity_at)
  SELECT tenant_id, member_id, last_activity_at FROM rm_members WHERE last_activity_at IS NOT NULL
  ON CONFLICT DO NOTHING;
ALTER TABLE rm_members DROP COLUMN IF EXISTS last_activity_at;

GRANT SELECT ON rm_member_activity TO {{query_role}};
ALTER TABLE rm_member_activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE rm_member_activity FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rm_member_activity TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
DO $$ BEGIN
  EXECUTE format('CREATE POLICY projector_writes ON rm_member_activity TO %I USING (true)', current_user);
END $$;
