-- Members per tenant and status, kept by a trigger so that list totals do not count 100k rows on
-- every request. The trigger runs in the projection's transaction: counts move with the rows.
CREATE TABLE IF NOT EXISTS rm_member_counts (
  tenant_id uuid NOT NULL,
  status    text NOT NULL,
  members   bigint NOT NULL,
  PRIMARY KEY (tenant_id, status)
);

CREATE OR REPLACE FUNCTION count_member_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    UPDATE rm_member_counts SET members = members - 1 WHERE tenant_id = OLD.tenant_id AND status = OLD.status;
  END IF;
  INSERT INTO rm_member_counts (tenant_id, status, members) VALUES (NEW.tenant_id, NEW.status, 1)
    ON CONFLICT (tenant_id, status) DO UPDATE SET members = rm_member_counts.members + 1;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS rm_members_count_statuses ON rm_members;
CREATE TRIGGER rm_members_count_statuses AFTER INSERT OR UPDATE OF status ON rm_members
  FOR EACH ROW EXECUTE FUNCTION count_member_statuses();

GRANT SELECT ON rm_member_counts TO {{query_role}};
ALTER TABLE rm_member_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE rm_member_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rm_member_counts TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
DO $$ BEGIN EXECUTE format('CREATE POLICY projector_writes ON rm_member_counts TO %I USING (true)', current_user); END $$;
