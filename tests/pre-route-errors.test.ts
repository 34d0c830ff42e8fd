import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

type Context = { h: Harness; ports: number[] };
const test = suite<Context>('errors raised before a route (Node’s HTTP parser, Fastify’s router) are problem+json');

test.before(async (context) => {
  context.h = await startHarness();
  context.ports = [];
  for (const app of [context.h.platform.commandApi, context.h.platform.queryApi]) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    context.ports.push((app.server.address() as AddressInfo).port);
  }
});
test.after(async ({ h }) => h.close());

type RawAnswer = { status: number; headers: Record<string, string>; body: string };

/** Writes bytes as they are (no client library would send most of these) and reads the answer. */
function sendRaw(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk) => { received += chunk.toString('utf8'); });
    socket.on('error', (error) => (received ? undefined : reject(error)));
    socket.on('close', () => {
      const [head = '', ...rest] = received.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

function assertProblem(answer: RawAnswer, status: number, code: string, what: string) {
  assert.is(answer.status, status, `${what}: ${JSON.stringify(answer)}`);
  assert.match(answer.headers['content-type'] ?? '', 'application/problem+json', what);
  const body = JSON.parse(answer.body);
  assert.is(body.status, status, what);
  assert.is(body.code, code, what);
  assert.type(body.title, 'string');
  assert.type(body.detail, 'string');
  assert.is(body.type, `/problems/${code}`);
}

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`;

test('headers over Node’s limit are 431', async ({ ports }) => {
  for (const port of ports) {
    assertProblem(await sendRaw(port, get('/v1/members', `X-Padding: ${'a'.repeat(20_000)}\r\n`)), 431, 'request-header-fields-too-large', `:${port}`);
  }
});

test('malformed framing and control characters in headers are 400 malformed-request', async ({ ports }) => {
  const requests = {
    'two lengths': 'POST /v1/members HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    'length and chunked': 'POST /v1/members HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'bad chunk size': 'POST /v1/members HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'non-numeric length': 'POST /v1/members HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    'control character': get('/v1/members', 'X-Bad: a\u0001b\r\n'),
    'NUL in a header': get('/v1/members', 'Authorization: Bearer a\u0000b\r\n'),
    'not HTTP': 'HELLO\r\n\r\n',
  };
  for (const port of ports) {
    for (const [what, request] of Object.entries(requests)) {
      assertProblem(await sendRaw(port, request), 400, 'malformed-request', `${what} :${port}`);
    }
  }
});

test('bad URL encoding in the path is 400 malformed-url; an over-long path parameter is 414', async ({ ports }) => {
  const [commandPort, queryPort] = ports as [number, number];
  assertProblem(await sendRaw(queryPort, get('/v1/members/%E0%A4%A')), 400, 'malformed-url', 'truncated escape');
  assertProblem(await sendRaw(queryPort, get('/v1/members/%ED%A0%80')), 400, 'malformed-url', 'encoded lone surrogate');
  assertProblem(await sendRaw(commandPort, `POST /v1/members/%C0%80/suspend HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`),
    400, 'malformed-url', 'overlong NUL');
  assertProblem(await sendRaw(queryPort, get(`/v1/members/${'a'.repeat(500)}`)), 414, 'uri-too-long', 'query API');
  assertProblem(await sendRaw(commandPort, `POST /v1/members/${'a'.repeat(500)}/suspend HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`),
    414, 'uri-too-long', 'command API');
});

test('after all of that, both APIs still answer', async ({ ports }) => {
  for (const port of ports) {
    const answer = await sendRaw(port, get('/health'));
    assert.is(answer.status, 200, JSON.stringify(answer));
  }
});

test.run();
