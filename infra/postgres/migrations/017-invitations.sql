-- Invitations (DESIGN §12), projected from the invitation streams. No email and no token here:
-- the email is joined from rm_members, and `token_hashes` keeps the SHA-256 of every token the
-- invitation was sent with (a resend adds one), by which the development outbox shows a tenant
-- only the mails of its own invitations. `sent_at` is the latest (re)send.
CREATE TABLE IF NOT EXISTS rm_invitations (
  tenant_id     uuid NOT NULL,
  invitation_id uuid NOT NULL,
  member_id     uuid NOT NULL,
  status        text NOT NULL,
  token_hashes  text[] NOT NULL,
  sent_at       timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  accepted_at   timestamptz,
  revision      integer NOT NULL,
  PRIMARY KEY (tenant_id, invitation_id)
);
-- GET /v1/invitations?status=, newest first.
CREATE INDEX IF NOT EXISTS rm_invitations_by_status ON rm_invitations (tenant_id, status, sent_at DESC);
-- The scheduler's expiry pass (across tenants, as the owner role).
CREATE INDEX IF NOT EXISTS rm_invitations_pending_expiry ON rm_invitations (expires_at) WHERE status = 'pending';

GRANT SELECT ON rm_invitations TO {{query_role}};
ALTER TABLE rm_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE rm_invitations FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON rm_invitations;
CREATE POLICY tenant_isolation ON rm_invitations TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
DROP POLICY IF EXISTS projector_writes ON rm_invitations;
DO $$ BEGIN EXECUTE format('CREATE POLICY projector_writes ON rm_invitations TO %I USING (true)', current_user); END $$;
