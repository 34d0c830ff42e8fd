import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serverOptions } from './clickhouse-store';

test('CLICKHOUSE_URL gives the server, the database and the credentials, which leave the URL', () => {
  assert.equal(serverOptions('http://analyst:s%40cret@clickhouse:8123/analytics'),
    { url: 'http://clickhouse:8123/', database: 'analytics', username: 'analyst', password: 's@cret' });
  assert.equal(serverOptions('https://ch.example.org:8443'),
    { url: 'https://ch.example.org:8443/', database: 'default', username: 'default', password: '' });
});

test.run();
