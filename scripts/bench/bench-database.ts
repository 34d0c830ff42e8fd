import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../infra/postgres/embedded-postgres';
import { findFreePort } from '../../infra/postgres/free-port';

/**
 * The PostgreSQL a self-contained benchmark runs on: DATABASE_URL, or a throw-away embedded server
 * (`embedded` true), which `stop()` stops and deletes.
 */
export async function benchDatabase(log: (message: string) => void) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => undefined };
  log('starting a throw-away embedded PostgreSQL');
  const dataDirectory = path.join('.data', `bench-postgres-${process.pid}`);
  const server = await startEmbeddedPostgres({ dataDirectory, port: await findFreePort(), persistent: false });
  return {
    url: server.url('postgres'),
    embedded: true,
    stop: async () => {
      await server.stop();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}
