import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

/**
 * What an admin UI's developer does: generate a typed client from each served document
 * (openapi-typescript) and compile calls against it. The generated code goes to .data/openapi/
 * (gitignored); tsc then checks, for every documented operation, that its success answer has a
 * typed body with the fields the document promises, plus a few calls written as a developer would.
 */
const test = suite<{ h: Harness }>('OpenAPI: a client generated from the documents');
const directory = '.data/openapi';
type Schema = { type?: string; required?: string[] };
type Operation = { responses: Record<string, { content?: Record<string, { schema: Schema }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

test.before(async (context) => {
  context.h = await startHarness();
});
test.after(async ({ h }) => h.close());

const documentOf = async (app: Harness['platform']['commandApi']) => (await app.inject({ url: '/docs/openapi.json' })).json() as Document;

/** Full paths of the routes an app registered, read from Fastify's route tree. */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    if (match[3]) routes.push(...match[3].split(', ').filter((m) => m !== 'HEAD').map((method) => `${method} ${stack.join('')}`));
  }
  return routes;
}

test('every /v1 route either API registers is documented, each with a typed success body', async ({ h }) => {
  for (const app of [h.platform.commandApi, h.platform.queryApi]) {
    const document = await documentOf(app);
    // The embedded process's operator routes (scripts/platform/rebuild-routes.ts) are not the public API.
    const publicRoutes = registeredRoutes(app.printRoutes({ commonPrefix: false })).filter((r) => r.includes(' /v1/') && !r.includes(' /v1/admin/'));
    assert.ok(publicRoutes.length >= 10, 'the route tree was read');
    for (const route of publicRoutes) {
      const [method, url] = route.split(' ') as [string, string];
      const operation = document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      assert.ok(operation, `${route} is in /docs/openapi.json`);
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      assert.ok(success.length > 0, `${route} documents a success`);
      for (const [status, response] of success) {
        const [mediaType, { schema }] = Object.entries(response.content ?? {})[0] ?? ['none', { schema: {} }];
        assert.ok(mediaType !== 'application/json' || schema.type === 'object', `${route} → ${status}: a JSON body schema`);
      }
    }
  }
});

/** One assertion per documented operation: its 2xx body type has each property the document requires. */
function operationChecks(alias: string, document: Document): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) => Object.entries(operations).flatMap(([method, operation]) => {
    const op = `${alias}[${JSON.stringify(path)}][${JSON.stringify(method)}]`;
    return Object.entries(operation.responses).filter(([status]) => status.startsWith('2')).flatMap(([status, response]) => {
      const [mediaType, { schema }] = Object.entries(response.content ?? {})[0]!;
      const body = `${op}['responses'][${status}]['content'][${JSON.stringify(mediaType)}]`;
      const fields = (schema.required ?? []).map((field) => `export type F${counter++} = ${body}[${JSON.stringify(field)}];`);
      return [`export const D${counter++}: IsTyped<${body}> = true;`, ...fields];
    });
  }));
}
let counter = 0;

/** Calls as a developer writes them, with the generated types only (openapi-fetch style). */
const calls = `
import type { paths as Commands } from './command-api';
import type { paths as Queries } from './query-api';

type Success<Op> = Op extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 ? (R[S] extends { content: { 'application/json': infer B } } ? B : never) : never }[keyof R] : never;
type Problem<Op, S extends number> = Op extends { responses: { [K in S]: { content: { 'application/problem+json': infer P } } } } ? P : never;
export type IsTyped<T> = unknown extends T ? false : true;
declare function call<Op>(): Promise<Success<Op>>;
declare function refused<Op, S extends number>(status: S): Problem<Op, S>;

export async function developer() {
  const created = await call<Commands['/v1/members']['post']>();
  const memberId: string = created.memberId;
  const revision: number = created.revision;
  const member = await call<Queries['/v1/members/{memberId}']['get']>();
  const status: 'pending' | 'active' | 'suspended' | 'inactive' = member.status;
  const periodEnd: string | undefined = member.subscription?.periodEnd;
  const page = await call<Queries['/v1/members']['get']>();
  const next: string | null = page.nextCursor;
  const first: string | undefined = page.items[0]?.email;
  const bulk = await call<Commands['/v1/members/bulk']['post']>();
  const code: string | undefined = bulk.results[0]?.code;
  const tenant = await call<Queries['/v1/tenant']['get']>();
  const seats: number | null = tenant.limits.members;
  const notFound = refused<Queries['/v1/members/{memberId}']['get'], 404>(404);
  const notFoundCode: 'member-not-found' | undefined = notFound.code === 'member-not-found' ? notFound.code : undefined;
  const conflict = refused<Commands['/v1/members/{memberId}/suspend']['post'], 409>(409);
  // @ts-expect-error a code the route never answers is not in the union
  const never: typeof conflict.code = 'subdomain-taken';
  const invalid = refused<Commands['/v1/members']['post'], 400>(400);
  const firstError: string | undefined = invalid.errors?.[0]?.path;
  return [memberId, revision, status, periodEnd, next, first, code, seats, notFoundCode, never, firstError];
}
`;

test('the generated client type-checks a call to every route', async ({ h }) => {
  await mkdir(directory, { recursive: true });
  const documents = { 'command-api': await documentOf(h.platform.commandApi), 'query-api': await documentOf(h.platform.queryApi) };
  for (const [name, document] of Object.entries(documents)) {
    await writeFile(`${directory}/${name}.ts`, astToString(await openapiTS(document as never, { silent: true })));
  }
  const checks = [...operationChecks('Commands', documents['command-api']), ...operationChecks('Queries', documents['query-api'])];
  assert.ok(checks.length > 60, 'an assertion for every operation');
  await writeFile(`${directory}/calls.ts`, `${calls}\n${checks.join('\n')}\n`);
  try {
    await promisify(execFile)('node_modules/.bin/tsc', ['--noEmit', '--strict', '--skipLibCheck', '--noUncheckedIndexedAccess',
      '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler', `${directory}/calls.ts`]);
  } catch (error) {
    assert.unreachable(`tsc on the generated client: ${(error as { stdout?: string }).stdout ?? String(error)}`);
  }
});

test.run();
