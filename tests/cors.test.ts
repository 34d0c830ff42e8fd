import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

// The admin console on the query API calls the command API from the browser (CONSOLE_ORIGINS).
const test = suite<{ h: Harness }>('command API CORS');
const consoleOrigin = 'http://127.0.0.1:4101';

test.before(async (context) => {
  context.h = await startHarness({ console: { origins: [consoleOrigin] } });
});
test.after(async ({ h }) => h.close());

const preflight = (h: Harness, origin: string) => h.platform.commandApi.inject({
  method: 'OPTIONS', url: '/v1/members/bulk',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key,if-match' },
});
const list = (value: unknown) => String(value ?? '').toLowerCase().split(',').map((item) => item.trim());

test('a preflight from a configured origin is allowed with the headers a client sends', async ({ h }) => {
  const reply = await preflight(h, consoleOrigin);
  assert.is(reply.statusCode, 204);
  assert.is(reply.headers['access-control-allow-origin'], consoleOrigin);
  for (const name of ['authorization', 'content-type', 'idempotency-key', 'if-match']) assert.ok(list(reply.headers['access-control-allow-headers']).includes(name), name);
  assert.ok(list(reply.headers['access-control-allow-methods']).includes('post'));
  assert.is(reply.headers['access-control-allow-credentials'], undefined, 'no cookies: the bearer travels in Authorization');
  assert.match(String(reply.headers.vary), /origin/i);
});

test('another origin, the default console origin included once others are configured, is not allowed', async ({ h }) => {
  for (const origin of ['http://evil.example', 'http://127.0.0.1:3001', 'http://127.0.0.1:41010']) {
    const reply = await preflight(h, origin);
    assert.is(reply.headers['access-control-allow-origin'], undefined, origin);
  }
});

test('a refusal carries the CORS headers, so the console can read the problem and the rate limits', async ({ h }) => {
  const reply = await h.platform.commandApi.inject({ method: 'POST', url: '/v1/members', headers: { origin: consoleOrigin }, payload: {} });
  assert.is(reply.statusCode, 401);
  assert.is(reply.headers['access-control-allow-origin'], consoleOrigin);
  const exposed = list(reply.headers['access-control-expose-headers']);
  for (const name of ['etag', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']) assert.ok(exposed.includes(name), name);
});

test('without configuration the query API\'s own origins are allowed', async () => {
  const h = await startHarness();
  try {
    for (const origin of ['http://127.0.0.1:3001', 'http://localhost:3001']) {
      assert.is((await preflight(h, origin)).headers['access-control-allow-origin'], origin);
    }
    assert.is((await preflight(h, consoleOrigin)).headers['access-control-allow-origin'], undefined);
  } finally {
    await h.close();
  }
});

test.run();
