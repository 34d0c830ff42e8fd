import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../config/config';
import { listenOptionsOf, listenWithBacklog, readSomaxconn } from './listen-options';

const test = suite('an API listens with an accept queue longer than Node\'s 511');

// The client runs in another process, since this one blocks its event loop: it connects `count`
// sockets at once and tells how many the kernel completed within 800 ms (a dropped SYN is sent
// again only after 1 s).
const client = `
const net = require('node:net');
const [port, count] = process.argv.slice(-2).map(Number);
process.send('connecting');
let connected = 0;
const sockets = Array.from({ length: count }, () => net.connect(port, '127.0.0.1', () => { connected += 1; }).on('error', () => {}));
setTimeout(() => { process.send(connected); for (const socket of sockets) socket.destroy(); process.disconnect(); }, 800);
`;

test('1,500 connections made while the event loop is blocked all wait in the queue, none is dropped', async () => {
  const app = Fastify();
  app.get('/', async () => 'ok');
  await app.listen(listenOptionsOf(loadConfig({}, { allowDevelopmentSecrets: true }), 0));
  try {
    const { port } = app.server.address() as AddressInfo;
    // The kernel caps the queue at net.core.somaxconn (4096 on current Linux): past 511 it must hold.
    const somaxconn = readSomaxconn() ?? 0;
    assert.ok(somaxconn > 1500, `net.core.somaxconn is ${somaxconn}: this kernel caps any accept queue below what the test needs`);
    const child = spawn(process.execPath, ['-e', client, String(port), '1500'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const messages: unknown[] = [];
    child.on('message', (message) => messages.push(message));
    while (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // A busy process: it accepts none of them until the client has counted.
    const until = Date.now() + 1_200;
    while (Date.now() < until) { /* blocked */ }
    await once(child, 'exit');
    assert.is(messages[1], 1500, 'connections completed by the kernel while nothing was accepted');
  } finally {
    await app.close();
  }
});

test('the queue is configuration', () => {
  const config = loadConfig({ HTTP_LISTEN_BACKLOG: '1024' }, { allowDevelopmentSecrets: true });
  assert.equal(listenOptionsOf(config, 3001), { host: '127.0.0.1', port: 3001, backlog: 1024 });
});

test('a queue the kernel caps below HTTP_LISTEN_BACKLOG is told in the log, a granted one is not', async () => {
  const config = loadConfig({ HTTP_LISTEN_BACKLOG: '4096' }, { allowDevelopmentSecrets: true });
  // undefined: a kernel that does not tell (not Linux).
  for (const [somaxconn, warned] of [[128, true], [4096, false], [undefined, false]] as const) {
    const warnings: string[] = [];
    const app = Fastify();
    app.log.warn = ((message: string) => warnings.push(message)) as typeof app.log.warn;
    await listenWithBacklog(app, config, 0, () => somaxconn);
    await app.close();
    assert.is(warnings.length, warned ? 1 : 0, `somaxconn ${somaxconn}`);
    if (warned) assert.match(warnings[0]!, /HTTP_LISTEN_BACKLOG is 4096.*net\.core\.somaxconn = 128/);
  }
});

test.run();
