import type { Config } from '../../infra/config/config';
import { withCredentials } from '../../infra/postgres/connection-url';

export type QueryRoleCredentials = {
  queryDatabaseUrl: string;
  /** Set on the role at start; undefined leaves the role's own password alone. */
  queryRolePassword?: string;
};

/**
 * How `npm start` reaches the query role. The development password is public, so it is set only on
 * the embedded database this process created: on a DATABASE_URL it was given, setting it would
 * open that server's query role to anyone (and break the processes that know the real password).
 */
export function queryRoleCredentials(
  config: Pick<Config, 'QUERY_DATABASE_URL' | 'QUERY_DB_ROLE' | 'QUERY_DB_PASSWORD' | 'queryRolePassword'>,
  database: { url: string; createdHere: boolean },
): QueryRoleCredentials {
  const password = database.createdHere ? config.queryRolePassword : config.QUERY_DB_PASSWORD;
  if (config.QUERY_DATABASE_URL) return { queryDatabaseUrl: config.QUERY_DATABASE_URL, queryRolePassword: password };
  if (password === undefined) {
    throw new Error('Refusing to start: with DATABASE_URL, set QUERY_DB_PASSWORD (the query role\'s password) or '
      + 'QUERY_DATABASE_URL. npm start sets the development password only on the embedded database it creates.');
  }
  return { queryDatabaseUrl: withCredentials(database.url, config.QUERY_DB_ROLE, password), queryRolePassword: password };
}
