-- Live updates (DESIGN §12): each member change the read-model projection applies, in the order
-- its transactions committed per tenant, for GET /v1/stream and its Last-Event-ID resume.
-- `seq` comes from rm_member_change_heads, whose row per tenant the projecting transaction
-- updates (and so locks until it commits): a tenant's changes get increasing seqs in commit order
-- even when several Kafka partitions are projected at once, so a reader that has seen seq n
-- never later finds a smaller one committed. Positions are the SSE ids; they grow with seq in
-- embedded mode, not across partitions, which is why resuming maps a position to its seq.
CREATE TABLE IF NOT EXISTS rm_member_change_heads (
  tenant_id uuid PRIMARY KEY,
  seq bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS rm_member_changes (
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL,
  position bigint NOT NULL,
  member_id uuid NOT NULL,
  status text NOT NULL,
  revision integer NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq)
);
-- A redelivered event is applied once (ON CONFLICT on the position), and Last-Event-ID looks up here.
CREATE UNIQUE INDEX IF NOT EXISTS rm_member_changes_position ON rm_member_changes (tenant_id, position);
-- The scheduler's purge of changes past their retention.
CREATE INDEX IF NOT EXISTS rm_member_changes_applied_at ON rm_member_changes (applied_at);

GRANT SELECT ON rm_member_changes TO {{query_role}};
ALTER TABLE rm_member_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE rm_member_changes FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON rm_member_changes;
CREATE POLICY tenant_isolation ON rm_member_changes TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
DROP POLICY IF EXISTS projector_writes ON rm_member_changes;
DO $$ BEGIN EXECUTE format('CREATE POLICY projector_writes ON rm_member_changes TO %I USING (true)', current_user); END $$;
