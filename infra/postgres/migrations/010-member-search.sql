-- Member search (`GET /v1/members?q=`, query-api/routes/members/member-page.ts) matches any part
-- of a member's name or email with ILIKE '%…%', which no btree serves: without this index every
-- search reads all of the tenant's rows. Migrations run as the owner, who may create the extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS rm_members_search ON rm_members
  USING gin ((first_name || ' ' || last_name || ' ' || email) gin_trgm_ops);

-- Why a function: under row-level security PostgreSQL uses an index only for leakproof
-- operators, and ILIKE is not one, so the query role's search would still scan the tenant. This
-- function runs as the owner (who is not under the query role's policy) and returns the ids of
-- the members of the tenant named by app.tenant_id, exactly as the policy does, whose name or email
-- matches. The caller's own select on rm_members stays under its policy, so an id of another
-- tenant could never become a row. Not inlined (SECURITY DEFINER), hence its own search_path.
CREATE OR REPLACE FUNCTION search_member_ids(pattern text) RETURNS SETOF uuid
  LANGUAGE sql STABLE STRICT SECURITY DEFINER ROWS 50
  SET search_path = pg_catalog, public
AS $$
  SELECT member_id FROM rm_members
  WHERE tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
    AND (first_name || ' ' || last_name || ' ' || email) ILIKE pattern
$$;
REVOKE ALL ON FUNCTION search_member_ids(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_member_ids(text) TO {{query_role}};
