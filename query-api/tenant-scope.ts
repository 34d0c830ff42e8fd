import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Pool } from 'pg';
import type { ReadModelDatabase, ReadModelDb } from '../infra/read-models/database';

/*
 * Three ways to read under a tenant's row-level security, each for its kind of read:
 * - withTenant (below): any kysely read, in a READ ONLY transaction; three round trips.
 * - PreparedReads (prepared-reads.ts): the hottest routes' kysely queries, prepared per
 *   connection, scope and queries in one round trip.
 * - scopedQuery (below): one hand-written SELECT of checked values in one round trip, for readers
 *   too frequent for withTenant that are not kysely queries (live feeds, analytics versions).
 */

/** The connection a tenant-scoped read runs on: inside its transaction, after the tenant is set. */
export type TenantScopedDb = Kysely<ReadModelDatabase>;

const tenantIdSchema = z.guid();

/**
 * The statement that scopes the rest of its transaction to a tenant for row-level security. The
 * id is inlined (so it travels in the same round trip as what follows, simple protocol): it is a
 * UUID from a verified token, checked again here as strictly as a parameter would be.
 */
export function tenantScopeStatement(tenantId: string) {
  if (!tenantIdSchema.safeParse(tenantId).success) throw new Error('tenant id must be a UUID');
  return `SELECT set_config('app.tenant_id', '${tenantId}', true)`;
}

/**
 * One tenant-scoped read in one round trip: the scope and `select` travel together as one implicit
 * transaction (simple protocol; the setting is local to it). For reads so frequent that the three
 * round trips of withTenant matter (live feeds, analytics versions). `select` must inline only
 * checked values: the tenant id (checked by tenantScopeStatement) and sqlInteger()s.
 */
export async function scopedQuery<Row>(pool: Pick<Pool, 'query'>, tenantId: string, select: string): Promise<Row[]> {
  const results = await pool.query(`${tenantScopeStatement(tenantId)}; ${select}`) as unknown as { rows: Row[] }[];
  return results[1]!.rows;
}

/** A non-negative safe integer, to inline in SQL (a scopedQuery, a prepared read's LIMIT); anything else throws. */
export function sqlInteger(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a non-negative integer: ${value}`);
  return value;
}

/**
 * Runs reads in a transaction that sets app.tenant_id: the row-level security policies then show
 * this tenant's rows only, whatever the query inside forgets to filter. BEGIN and the setting go
 * in one round trip (tenantScopeStatement).
 */
export function withTenant<T>(db: ReadModelDb, tenantId: string, read: (scoped: TenantScopedDb) => Promise<T>) {
  const scope = tenantScopeStatement(tenantId);
  return db.connection().execute(async (connection) => {
    await sql.raw(`BEGIN READ ONLY; ${scope}`).execute(connection);
    try {
      const result = await read(connection);
      await sql.raw('COMMIT').execute(connection);
      return result;
    } catch (error) {
      await sql.raw('ROLLBACK').execute(connection).catch(() => undefined);
      throw error;
    }
  });
}
