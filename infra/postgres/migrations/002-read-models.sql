-- Read models: shared tables keyed by tenant, protected by row-level security. The query API
-- connects as {{query_role}} (no BYPASSRLS) and sets app.tenant_id in each transaction, so a query
-- that forgets its tenant filter still sees only that tenant's rows.
CREATE TABLE IF NOT EXISTS rm_tenants (
  tenant_id  uuid PRIMARY KEY,
  name       text NOT NULL,
  subdomain  text NOT NULL,
  plan       text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision   integer NOT NULL
);

CREATE TABLE IF NOT EXISTS rm_membership_types (
  tenant_id           uuid NOT NULL,
  membership_type_id  uuid NOT NULL,
  name                text NOT NULL,
  description         text,
  monthly_price_cents bigint NOT NULL,
  currency            text NOT NULL,
  features            jsonb NOT NULL,
  created_at          timestamptz NOT NULL,
  revision            integer NOT NULL,
  PRIMARY KEY (tenant_id, membership_type_id)
);

CREATE TABLE IF NOT EXISTS rm_members (
  tenant_id          uuid NOT NULL,
  member_id          uuid NOT NULL,
  email              text NOT NULL,
  first_name         text NOT NULL,
  last_name          text NOT NULL,
  status             text NOT NULL,
  membership_type_id uuid,
  subscription       jsonb,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  last_activity_at   timestamptz,
  revision           integer NOT NULL,
  PRIMARY KEY (tenant_id, member_id)
);
-- One index per sort order the list offers; the member id breaks ties so cursors are exact.
CREATE INDEX IF NOT EXISTS rm_members_created ON rm_members (tenant_id, created_at, member_id);
CREATE INDEX IF NOT EXISTS rm_members_name ON rm_members (tenant_id, lower(last_name), lower(first_name), member_id);
CREATE INDEX IF NOT EXISTS rm_members_email ON rm_members (tenant_id, lower(email), member_id);
CREATE INDEX IF NOT EXISTS rm_members_status ON rm_members (tenant_id, status, created_at, member_id);

-- How far each projection has applied the global log. Written in the same transaction as the
-- read-model change it accounts for.
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projection text PRIMARY KEY,
  position   bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
  CREATE ROLE {{query_role}} LOGIN PASSWORD '{{query_role_password}}' NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO {{query_role}}', current_database()); END $$;
GRANT USAGE ON SCHEMA public TO {{query_role}};
GRANT SELECT ON rm_tenants, rm_membership_types, rm_members, projection_checkpoints, events TO {{query_role}};

ALTER TABLE rm_tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE rm_tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE rm_membership_types ENABLE ROW LEVEL SECURITY;
ALTER TABLE rm_membership_types FORCE ROW LEVEL SECURITY;
ALTER TABLE rm_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE rm_members FORCE ROW LEVEL SECURITY;
-- The event log is written by its owner; only the query role's reads (the audit route) are filtered.
ALTER TABLE events ENABLE ROW LEVEL SECURITY;

-- The query role sees the current tenant's rows only. The migrating role owns the tables and is
-- the projector's role: under FORCE it needs its own policy to write every tenant's rows. Policies
-- are per role, so the query role's plans never carry the owner's arm (and keep their indexes).
CREATE POLICY tenant_isolation ON rm_tenants TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY tenant_isolation ON rm_membership_types TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY tenant_isolation ON rm_members TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY tenant_isolation ON events FOR SELECT TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
DO $$
BEGIN
  EXECUTE format('CREATE POLICY projector_writes ON rm_tenants TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY projector_writes ON rm_membership_types TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY projector_writes ON rm_members TO %I USING (true)', current_user);
END $$;
