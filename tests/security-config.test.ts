import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { developmentSecrets, loadConfig } from '../infra/config/config';
import { findFreePort } from '../infra/postgres/free-port';
import { runScript } from './run-script';

const ownSecret = 'an-operator-secret-of-at-least-32-chars';
const development = { allowDevelopmentSecrets: true } as const;
const production = { allowDevelopmentSecrets: false, secrets: ['JWT_SECRET'] } as const;

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    return (error as Error).message;
  }
  return assert.unreachable('the configuration was accepted') as never;
}

test('the development JWT secret is refused on a HOST other machines reach', () => {
  for (const HOST of ['0.0.0.0', '::', '192.0.2.10', 'example.org']) {
    assert.match(refusal(() => loadConfig({ HOST }, development)), /Refusing to start: JWT_SECRET is not set.*not a loopback/);
    assert.match(refusal(() => loadConfig({ HOST, JWT_SECRET: developmentSecrets.jwtSecret }, production)),
      /JWT_SECRET is the development secret/);
  }
});

test('on loopback the development secret stays usable, and an own secret is fine anywhere', () => {
  for (const HOST of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
    assert.is(loadConfig({ HOST }, development).jwtSecret, developmentSecrets.jwtSecret, HOST);
  }
  assert.is(loadConfig({}, development).usesDevelopmentSecrets, true, 'the default HOST is loopback');
  assert.is(loadConfig({ HOST: '0.0.0.0', JWT_SECRET: ownSecret }, production).jwtSecret, ownSecret);
});

test('issuer and audience have stable defaults and can be set', () => {
  assert.equal(loadConfig({}, development).jwtAudience, { issuer: 'membership-platform', audience: 'membership-api' });
  assert.equal(loadConfig({ JWT_ISSUER: 'acme', JWT_AUDIENCE: 'acme-api' }, development).jwtAudience,
    { issuer: 'acme', audience: 'acme-api' });
});

test('npm start and the distributed API roles fail to start, saying why, rather than serve with the development secret', async () => {
  const port = String(await findFreePort());
  const runs = [
    runScript('scripts/start.ts', [], { HOST: '0.0.0.0', COMMAND_API_PORT: port, QUERY_API_PORT: port }),
    runScript('command-api/main.ts', [], {
      HOST: '0.0.0.0', JWT_SECRET: developmentSecrets.jwtSecret, QUERY_DB_PASSWORD: 'irrelevant-password',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', COMMAND_API_PORT: port,
    }),
    runScript('query-api/main.ts', [], {
      HOST: '0.0.0.0', JWT_SECRET: developmentSecrets.jwtSecret,
      QUERY_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', QUERY_API_PORT: port,
    }),
  ];
  for (const run of runs) {
    assert.not.match(await run.exitWithin(30_000), /^0$|still running/, run.output());
    assert.match(run.output(), /Refusing to start: .*not a loopback address/);
  }
});

test.run();
