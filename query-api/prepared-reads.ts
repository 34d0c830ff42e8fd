import { createHash } from 'node:crypto';
import type { Compilable } from 'kysely';
import pg, { type Pool, type PoolClient } from 'pg';
import { tenantScopeStatement } from './tenant-scope';

/** The rows each query of a read returns, in order. */
type RowsOf<Queries extends readonly Compilable<unknown>[]> = { [K in keyof Queries]: Queries[K] extends Compilable<infer Row> ? Row[] : never };

/**
 * Tenant-scoped reads for the hottest routes (member list with its count, member detail, CSV
 * export pages): the tenant scope and the queries travel in one round trip, and each query is a
 * prepared statement of its connection, so PostgreSQL plans it once per connection instead of
 * once per request (planning was about half of the list query's server time: pgbench of the list
 * transaction as the query role, 1,069 tps unprepared against 2,738 prepared).
 *
 * A query read here must keep its LIMIT (and any other value the planner needs to cost it) a
 * literal, `sql.lit(sqlInteger(n))`: a generic plan that does not know the limit loses to a
 * custom plan every time, and PostgreSQL then plans every request after all
 * (tests/member-list-plans.test.ts). pg's own named queries ({ name, text }) cannot be used: over
 * the extended protocol the tenant scope would cost round trips of its own (BEGIN, set_config,
 * COMMIT), as withTenant's do.
 */
export type PreparedReads = {
  read<const Queries extends readonly Compilable<unknown>[]>(tenantId: string, queries: Queries): Promise<RowsOf<Queries>>;
};

/**
 * Past this many statements a connection forgets them all (DEALLOCATE ALL): the variety of
 * compiled queries is bounded (filters × sorts × page sizes), but never trusted to be.
 */
const maxPreparedPerConnection = 200;
/** The statement names kept per SQL text, so a name costs no hash; cleared when full, as cheap to refill. */
const maxNamesKept = 1_000;

/**
 * The statements prepared on each connection. Kept per connection, not per PreparedReads, because
 * that is where they live: two PreparedReads on one pool must not both prepare a name.
 */
const prepared = new WeakMap<PoolClient, Set<string>>();

/**
 * Over the simple protocol one message carries `set_config(…, true)`, any PREPAREs and the
 * EXECUTEs, as one implicit transaction: row-level security sees the tenant for exactly these
 * statements, as in withTenant. EXECUTE takes its arguments as literals (sqlLiteral): quoted and
 * escaped, untyped, so PostgreSQL casts each to the type it inferred for the parameter.
 * Connections must be session-pooled (a transaction pooler would lose the prepared statements).
 */
export function createPreparedReads(pool: Pick<Pool, 'connect'>): PreparedReads {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) {
      if (names.size >= maxNamesKept) names.clear();
      name = `tenant_read_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
  return {
    async read(tenantId, queries) {
      // Named and their arguments written before a connection is taken: a value that cannot be
      // a literal throws here, with nothing sent and nothing to give back.
      const compiled = queries.map((query) => query.compile()).map((query) => ({ name: nameOf(query.sql), sql: query.sql,
        execute: `EXECUTE ${nameOf(query.sql)}${query.parameters.length ? `(${query.parameters.map(sqlLiteral).join(', ')})` : ''}` }));
      const client = await pool.connect();
      let known = prepared.get(client) ?? new Set<string>();
      const statements = [tenantScopeStatement(tenantId)];
      if (known.size + compiled.length > maxPreparedPerConnection) {
        statements.push('DEALLOCATE ALL');
        known = new Set();
      }
      const newlyPrepared: string[] = [];
      for (const { name, sql } of compiled) {
        if (known.has(name) || newlyPrepared.includes(name)) continue;
        statements.push(`PREPARE ${name} AS ${sql}`);
        newlyPrepared.push(name);
      }
      // Last, so that the results of the EXECUTEs are the last ones.
      statements.push(...compiled.map(({ execute }) => execute));
      try {
        const results = await client.query(statements.join('; ')) as unknown as { rows: unknown[] }[];
        for (const name of newlyPrepared) known.add(name);
        prepared.set(client, known);
        client.release();
        return results.slice(-compiled.length).map((result) => result.rows) as RowsOf<typeof queries>;
      } catch (error) {
        // Which statements exist on a connection whose message failed half-way is not worth
        // guessing: it is closed, and the pool opens a fresh one.
        client.release(error as Error);
        throw error;
      }
    },
  };
}

/**
 * A query parameter as an EXECUTE argument. Unlike the projections' literal()
 * (projectors/runtime/inline-statements.ts), which stands in for a parameter inside the
 * statement, every value here is quoted: an untyped literal that PostgreSQL casts to the type it
 * inferred for the parameter at PREPARE (a bare 5 would be an integer, and an integer is not a
 * text). Only scalars occur in our reads; anything else throws.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') {
    // The simple protocol's message is NUL-terminated: a NUL would cut the statement short.
    if (value.includes('\0')) throw new Error('a NUL byte cannot travel in a query');
    return pg.escapeLiteral(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return `'${value}'`;
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return `'${value}'`;
  if (value instanceof Date) return `'${value.toISOString()}'`;
  throw new Error(`no literal for a parameter of type ${typeof value}`);
}
