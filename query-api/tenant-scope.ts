import { sql, type Kysely } from 'kysely';
import type { ReadModelDatabase, ReadModelDb } from '../infra/read-models/database';

/** The connection a tenant-scoped read runs on: inside its transaction, after the tenant is set. */
export type TenantScopedDb = Kysely<ReadModelDatabase>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs reads in a transaction that sets app.tenant_id: the row-level security policies then show
 * this tenant's rows only, whatever the query inside forgets to filter. BEGIN and the setting go
 * in one round trip; the tenant id is a UUID from a verified token and is checked again here.
 */
export function withTenant<T>(db: ReadModelDb, tenantId: string, read: (scoped: TenantScopedDb) => Promise<T>) {
  if (!uuidPattern.test(tenantId)) throw new Error('tenant id must be a UUID');
  return db.connection().execute(async (connection) => {
    await sql.raw(`BEGIN READ ONLY; SELECT set_config('app.tenant_id', '${tenantId}', true)`).execute(connection);
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
