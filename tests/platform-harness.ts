import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../infra/auth/jwt';
import { createTestDatabase, testQueryRole, type TestDatabase } from '../infra/postgres/test-database';
import { buildEmbeddedPlatform, type EmbeddedPlatform, type PlatformOptions } from '../scripts/platform/build-platform';
import { createResponseValidator, type InjectedReply } from './openapi-validator';

export const testJwtSecret = 'test-secret-test-secret-test-secret-0123';

export type Harness = {
  platform: EmbeddedPlatform;
  database: TestDatabase;
  token: (tenantId: string, roles: Role[], userId?: string) => Promise<string>;
  /** Provisions a tenant through the API and returns its id and an owner token. */
  createTenant: (name?: string, plan?: 'free' | 'pro' | 'enterprise') => Promise<{ tenantId: string; owner: string }>;
  command: (method: string, url: string, token: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;
  query: (url: string, token: string, headers?: Record<string, string>) => Promise<Reply>;
  close: () => Promise<void>;
};

export type Reply = { status: number; body: any; headers: Record<string, unknown>; text: string };

const validators = new WeakMap<object, Promise<ReturnType<typeof createResponseValidator>>>();
/** One validator per app, on the document that app serves. */
function validatorOf(app: EmbeddedPlatform['commandApi']) {
  let validator = validators.get(app);
  if (!validator) {
    validator = app.inject({ url: '/docs/openapi.json' }).then((reply) => createResponseValidator(reply.json()));
    validators.set(app, validator);
  }
  return validator;
}

/** The whole embedded platform on a fresh database, driven through `inject` (no sockets). */
export async function startHarness(options: {
  rateLimitPerSecond?: number; now?: () => string; billing?: PlatformOptions['billing'];
  /** The embedded write back-pressure bound (PlatformOptions.maxProjectionLagMs). */
  maxProjectionLagMs?: number;
  /** Every reply of command() and query() must match the served OpenAPI document (default on). */
  validateResponses?: boolean;
  /** The live stream's heartbeat and per-tenant bound (PlatformOptions.live). */
  live?: PlatformOptions['live'];
  /** The admin console's CORS and CSP origins (PlatformOptions.console). */
  console?: PlatformOptions['console'];
  /** Where invitation links point, and their lifetime (PlatformOptions.invitations). */
  invitations?: PlatformOptions['invitations'];
} = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const platform = await buildEmbeddedPlatform({
    databaseUrl: database.url, queryDatabaseUrl: database.queryUrl, ...testQueryRole,
    jwtSecret: testJwtSecret, consistencyTimeoutMs: 3000, logger: false,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 10_000,
    analyticsPath: process.env.TEST_ANALYTICS_PATH, now: options.now, billing: options.billing,
    ...(options.maxProjectionLagMs === undefined ? {} : { maxProjectionLagMs: options.maxProjectionLagMs }),
    ...(options.live ? { live: options.live } : {}),
    ...(options.console ? { console: options.console } : {}),
    ...(options.invitations ? { invitations: options.invitations } : {}),
  });
  const token = (tenantId: string, roles: Role[], userId = 'user-1') => platform.tokens.sign({ userId, tenantId, roles });
  const toReply = (response: { statusCode: number; body: string; headers: Record<string, unknown> }): Reply => {
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, body, headers: response.headers, text: response.body };
  };
  const documented = async (app: EmbeddedPlatform['commandApi'], method: string, url: string, response: InjectedReply) => {
    if (options.validateResponses === false) return response;
    const mismatches = (await validatorOf(app))(method, url, response);
    if (mismatches.length > 0) throw new Error(`reply departs from /docs/openapi.json:\n${mismatches.join('\n')}`);
    return response;
  };
  const command: Harness['command'] = async (method, url, bearer, body, headers = {}) =>
    toReply(await documented(platform.commandApi, method, url, await platform.commandApi.inject({
      method: method as 'POST', url, headers: { authorization: `Bearer ${bearer}`, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    })));
  const query: Harness['query'] = async (url, bearer, headers = {}) =>
    toReply(await documented(platform.queryApi, 'GET', url,
      await platform.queryApi.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}`, ...headers } })));
  const platformToken = await token(uuidv7(), ['platform'], 'operator');
  const createTenant = async (name = 'Chess Club', plan: 'free' | 'pro' | 'enterprise' = 'pro') => {
    const reply = await command('POST', '/v1/tenants', platformToken, { name, subdomain: `t${uuidv7().slice(-12)}`, plan });
    if (reply.status !== 201) throw new Error(`tenant creation failed: ${reply.text}`);
    return { tenantId: reply.body.tenantId as string, owner: await token(reply.body.tenantId, ['owner']) };
  };
  return {
    platform, database, token, createTenant, command, query,
    close: async () => {
      await platform.close();
      await database.drop();
    },
  };
}
