-- Each group of a member's columns remembers the stream revision that last set it: status,
-- details (email, names, membership type) and subscription. An event changes its group only if
-- it is newer than what the group holds, so groups can be applied independently of each other:
-- a batch's status changes run as one set-based statement (the newest per member wins) without
-- undoing, or being undone by, a details change of the same batch. `revision` stays the newest
-- revision applied to the member (the API's ETag).
ALTER TABLE rm_members ADD COLUMN IF NOT EXISTS status_revision integer NOT NULL DEFAULT 0;
ALTER TABLE rm_members ADD COLUMN IF NOT EXISTS details_revision integer NOT NULL DEFAULT 0;
ALTER TABLE rm_members ADD COLUMN IF NOT EXISTS subscription_revision integer NOT NULL DEFAULT 0;
UPDATE rm_members SET status_revision = revision, details_revision = revision, subscription_revision = revision;

-- A status with no members has no count row, whatever the path: one event at a time (suspended,
-- then reactivated: the 'suspended' row went 1 → 0) and a batch that nets to no change (no row
-- touched) must leave the same table.
CREATE OR REPLACE FUNCTION count_member_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  remaining bigint;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    UPDATE rm_member_counts SET members = members - 1 WHERE tenant_id = OLD.tenant_id AND status = OLD.status
      RETURNING members INTO remaining;
    IF remaining = 0 THEN
      DELETE FROM rm_member_counts WHERE tenant_id = OLD.tenant_id AND status = OLD.status AND members = 0;
    END IF;
  END IF;
  INSERT INTO rm_member_counts (tenant_id, status, members) VALUES (NEW.tenant_id, NEW.status, 1)
    ON CONFLICT (tenant_id, status) DO UPDATE SET members = rm_member_counts.members + 1;
  RETURN NULL;
END $$;
DELETE FROM rm_member_counts WHERE members = 0;
