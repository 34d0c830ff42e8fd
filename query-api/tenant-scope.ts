import { sql, type Transaction } from 'kysely';
import type { ReadModelDatabase, ReadModelDb } from '../infra/read-models/database';

/**
 * Runs reads in a transaction that sets app.tenant_id: the row-level security policies then show
 * this tenant's rows only, whatever the query inside forgets to filter.
 */
export function withTenant<T>(db: ReadModelDb, tenantId: string, read: (trx: Transaction<ReadModelDatabase>) => Promise<T>) {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.tenant_id', ${tenantId}, true)`.execute(trx);
    return read(trx);
  });
}
