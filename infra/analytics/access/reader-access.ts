/**
 * Who may read the analytics tables on a ClickHouse server, and what they see (DESIGN.md §8).
 * The query API and Grafana log in as users granted `readerRole`, which:
 * - may only SELECT, and only the tables and views below (not the tables a rebuild builds aside,
 *   nor the migrations' bookkeeping);
 * - sees, in each table holding tenants' rows, only the rows of the tenant named by the custom
 *   setting `SQL_tenant_id` (a row policy): a query that forgets its `WHERE tenant_id = …`
 *   still cannot return another tenant's rows, and one that names no tenant fails;
 * - runs under a settings profile that bounds each query's time and memory and forbids lifting
 *   those bounds (MIN/MAX constraints; 0 would mean "no limit").
 * The users themselves (their passwords, Grafana's pinned tenant) belong to the deployment:
 * grafana/clickhouse-reader.sh creates them. The migration runner applies these statements on
 * every start in server mode (each is repeatable), so a table added later gets its policy.
 */
export const readerRole = 'analytics_reader';

/** The custom setting the row policies read; the server must allow the `SQL_` prefix (server-config/). */
export const tenantSetting = 'SQL_tenant_id';

/** The tables that hold tenants' rows, each protected by a row policy. */
export const tenantTables = ['member_facts', 'activity_facts', 'subscription_facts', 'member_activity_daily'] as const;

/**
 * The analyst views (migrations/002-views.sql). A view runs its query as the user who reads it
 * (SQL SECURITY INVOKER, ClickHouse's default for plain views), so the row policies of the tables
 * above filter what each view returns.
 */
export const analystViews = [
  'member_current', 'daily_activity', 'monthly_activity', 'engagement_segments', 'cohort_sizes', 'cohort_retention_on',
  'cohort_retention_on_or_after', 'monthly_lifecycle', 'member_mrr_changes', 'member_mrr_now',
  // Migrations 003 and 004: the MRR movements and the views the query API's routes read.
  'subscription_mrr_steps', 'mrr_movements', 'monthly_mrr_movements', 'activity_series', 'trailing_active_members',
  'activity_lifecycle', 'cohort_retention',
] as const;

/** What a reader's query may use at most; the query API asks for less per query (config.ts). */
export const readerCeilings = { maxExecutionSeconds: 60, maxMemoryBytes: 4 * 1024 ** 3 } as const;
/** What a reader's query gets when it asks for nothing (Grafana). */
export const readerDefaults = { maxExecutionSeconds: 20, maxMemoryBytes: 1024 ** 3 } as const;

/** The rows a reader sees: its tenant's. An unset setting fails the query; a malformed one matches nothing. */
export const tenantCondition = `tenant_id = toUUIDOrZero(getSetting('${tenantSetting}'))`;

const identifier = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Not a plain ClickHouse identifier: ${name}`);
  return `\`${name}\``;
};

/** The statements that set reader access up in `database`, in order; each can be run again. */
export function readerAccessStatements(database: string): string[] {
  const db = identifier(database);
  const role = identifier(readerRole);
  const on = (table: string) => `${db}.${identifier(table)}`;
  return [
    `CREATE ROLE IF NOT EXISTS ${role}`,
    `CREATE SETTINGS PROFILE OR REPLACE ${identifier(`${readerRole}_limits`)} SETTINGS readonly = 2,
      max_execution_time = ${readerDefaults.maxExecutionSeconds} MIN 1 MAX ${readerCeilings.maxExecutionSeconds},
      max_memory_usage = ${readerDefaults.maxMemoryBytes} MIN 1048576 MAX ${readerCeilings.maxMemoryBytes} TO ${role}`,
    ...[...tenantTables, ...analystViews].map((table) => `GRANT SELECT ON ${on(table)} TO ${role}`),
    ...tenantTables.flatMap((table) => [
      `CREATE ROW POLICY OR REPLACE tenant_rows ON ${on(table)} FOR SELECT USING ${tenantCondition} AS PERMISSIVE TO ${role}`,
      // Once a table has a policy, a server configured with users_without_row_policies_can_read_rows
      // = false shows nothing to users without one: the projectors and operators keep every row.
      `CREATE ROW POLICY OR REPLACE all_rows ON ${on(table)} FOR SELECT USING 1 AS PERMISSIVE TO ALL EXCEPT ${role}`,
    ]),
  ];
}
