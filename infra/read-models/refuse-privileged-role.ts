import type { Pool } from 'pg';

/**
 * Row-level security protects tenants from each other only against a role it applies to. A
 * superuser or a BYPASSRLS role skips every policy, and a table's owner can switch its security
 * off: the query API connected as any of those (directly or through a role it is a member of) would
 * serve a query bug's cross-tenant rows. So it refuses to start on such a connection.
 */
export class PrivilegedQueryRoleError extends Error {}

type RoleFacts = { role: string; superuser: boolean; bypassrls: boolean; owned_tables: string[] };

export async function refusePrivilegedQueryRole(db: Pick<Pool, 'query'>): Promise<void> {
  const { rows } = await db.query<RoleFacts>(`
    SELECT current_user AS role,
      coalesce(bool_or(r.rolsuper), false) AS superuser,
      coalesce(bool_or(r.rolbypassrls), false) AS bypassrls,
      ARRAY(SELECT c.relname::text FROM pg_class c
            WHERE c.relkind IN ('r', 'p') AND c.relrowsecurity AND pg_has_role(current_user, c.relowner, 'MEMBER')
            ORDER BY 1) AS owned_tables
    FROM pg_roles r WHERE pg_has_role(current_user, r.oid, 'MEMBER')`);
  const facts = rows[0]!;
  const reasons = [
    facts.superuser ? 'is a superuser' : undefined,
    facts.bypassrls ? 'has BYPASSRLS' : undefined,
    // A superuser counts as a member of every role: its "ownership" says nothing more.
    !facts.superuser && facts.owned_tables.length > 0 ? `owns the read-model tables ${facts.owned_tables.join(', ')}` : undefined,
  ].filter((reason) => reason !== undefined);
  if (reasons.length === 0) return;
  throw new PrivilegedQueryRoleError(`Refusing to start: the query API's database role "${facts.role}" ${reasons.join(', ')}, `
    + 'so row-level security would not isolate tenants. Connect it as the query role (QUERY_DATABASE_URL, or '
    + 'QUERY_DB_ROLE / QUERY_DB_PASSWORD), which the migrations create without these rights.');
}
