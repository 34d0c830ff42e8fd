import { createHash } from 'node:crypto';
import { sql, type Compilable } from 'kysely';
import pg, { type Pool, type PoolClient } from 'pg';
import { sqlInteger, tenantScopeStatement } from './tenant-scope';

/** The rows each query of a read returns, in order. */
type RowsOf<Queries extends readonly Compilable<unknown>[]> = { [K in keyof Queries]: Queries[K] extends Compilable<infer Row> ? Row[] : never };

/**
 * Tenant-scoped reads for the hottest routes (member list with its count, member detail, CSV
 * export pages): the tenant scope and the queries travel in one round trip, and each query is a
 * prepared statement of its connection, so PostgreSQL plans it once per connection instead of
 * once per request (planning was about half of the list query's server time: pgbench of the list
 * transaction as the query role, 1,069 tps unprepared against 2,738 prepared).
 *
 * A query read here takes its LIMIT from preparedLimit (below), never as a parameter. pg's own
 * named queries ({ name, text }) cannot serve: over the extended protocol the tenant scope would
 * cost round trips of its own (BEGIN, set_config, COMMIT), as withTenant's do.
 */
export type PreparedReads = {
  read<const Queries extends readonly Compilable<unknown>[]>(tenantId: string, queries: Queries): Promise<RowsOf<Queries>>;
};

/**
 * At most this many statements per connection, the least recently used DEALLOCATEd first: the
 * variety of compiled queries is bounded (filters × sorts × page sizes, preparedLimit), but a
 * client cycling through it must cost planning, never server memory (each list statement holds
 * ~57 KB of its backend).
 */
const maxPreparedPerConnection = 64;
/** The statement names kept per SQL text, so a name costs no hash; cleared when full, as cheap to refill. */
const maxNamesKept = 1_000;

/**
 * The statements prepared on each connection, least recently used first. Kept per connection, not
 * per PreparedReads, because that is where they live: two PreparedReads on one pool must not both
 * prepare a name.
 */
const prepared = new WeakMap<PoolClient, Set<string>>();

/**
 * Over the simple protocol one message carries `set_config(…, true)`, any DEALLOCATEs and
 * PREPAREs, and the EXECUTEs, as one transaction: row-level security sees the tenant for exactly
 * these statements, as in withTenant. EXECUTE takes its arguments as literals
 * (sqlLiteral): quoted and escaped, untyped, so PostgreSQL casts each to the type it inferred for
 * the parameter. Connections must be session-pooled (a transaction pooler would lose the
 * prepared statements).
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
      // Everything that can refuse an input is done before a connection is taken: nothing sent,
      // nothing to give back.
      const scope = tenantScopeStatement(tenantId);
      const compiled = queries.map((query) => query.compile()).map((query) => ({ name: nameOf(query.sql), sql: query.sql,
        execute: `EXECUTE ${nameOf(query.sql)}${query.parameters.length ? `(${query.parameters.map(sqlLiteral).join(', ')})` : ''}` }));
      const client = await pool.connect();
      const known = prepared.get(client) ?? new Set<string>();
      const { statements, newlyPrepared, evicted } = plan(known, compiled);
      // Several queries answer from one snapshot (a page and its total agree): a REPEATABLE READ
      // transaction holds them; a single query's implicit transaction is one snapshot already.
      const [begin, commit] = compiled.length > 1 ? [['BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY'], ['COMMIT']] : [[], []];
      try {
        const results = await client.query([...begin, scope, ...statements, ...commit].join('; ')) as unknown as { rows: unknown[] }[];
        for (const name of evicted) known.delete(name);
        for (const { name } of compiled) {
          known.delete(name);
          known.add(name);
        }
        prepared.set(client, known);
        client.release();
        return results.slice(results.length - commit.length - compiled.length, results.length - commit.length)
          .map((result) => result.rows) as RowsOf<typeof queries>;
      } catch (error) {
        await forgetAfterFailure(client, error, newlyPrepared.length > 0 || evicted.length > 0);
        throw error;
      }
    },
  };
}

type CompiledRead = { name: string; sql: string; execute: string };

/** The statements of one read on a connection that has `known` prepared: evictions, PREPAREs, then the EXECUTEs (their results last). */
function plan(known: Set<string>, compiled: CompiledRead[]) {
  const wanted = new Set(compiled.map(({ name }) => name));
  const newlyPrepared = compiled.filter(({ name }, i) => !known.has(name) && compiled.findIndex((c) => c.name === name) === i);
  const evicted: string[] = [];
  for (const name of known) {
    if (known.size - evicted.length + newlyPrepared.length <= maxPreparedPerConnection) break;
    if (!wanted.has(name)) evicted.push(name);
  }
  const statements = [...evicted.map((name) => `DEALLOCATE ${name}`), ...newlyPrepared.map(({ name, sql }) => `PREPARE ${name} AS ${sql}`),
    ...compiled.map(({ execute }) => execute)];
  return { statements, newlyPrepared, evicted };
}

/**
 * After a failed read. The server refused it (a timeout, a bad cast): its transaction is rolled
 * back, and if the read prepared or deallocated anything, which of those took effect is not worth
 * guessing (they are not undone with the transaction), so the connection forgets all its
 * statements; it then goes back to the pool. The server not answering: the connection is closed.
 */
async function forgetAfterFailure(client: PoolClient, error: unknown, statementsChanged: boolean) {
  const serverRefused = error instanceof pg.DatabaseError;
  if (serverRefused && !statementsChanged) {
    const ended = await client.query('ROLLBACK').then(() => true, () => false);
    return client.release(ended ? undefined : error as Error);
  }
  if (serverRefused) {
    // ROLLBACK ends the failed transaction of a read of several queries (a warning when none is open).
    const forgot = await client.query('ROLLBACK; DEALLOCATE ALL').then(() => true, () => false);
    if (forgot) {
      prepared.set(client, new Set());
      return client.release();
    }
  }
  client.release(error as Error);
}

/**
 * A LIMIT of at least `rows`, as a literal from a few sizes. Literal, because a generic plan that
 * does not know its limit costs a tenth of the table and loses to a custom plan every time, so
 * PostgreSQL would plan every request after all (tests/member-list-plans.test.ts); from a few
 * sizes, so that page sizes do not multiply the statements. The caller keeps the rows it asked for.
 */
export function preparedLimit(rows: number) {
  const size = limitSizes.find((candidate) => candidate >= rows) ?? sqlInteger(rows);
  return sql<number>`${sql.lit(size)}`;
}
const limitSizes = [11, 26, 51, 101, 201, 501, 1001];

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
