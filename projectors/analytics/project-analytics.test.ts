import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clickHouseTime } from './project-analytics';

test('instants become ClickHouse DateTime64(3) text in UTC, whatever their ISO form', () => {
  assert.is(clickHouseTime('2026-03-01T10:00:00.000Z'), '2026-03-01 10:00:00.000');
  assert.is(clickHouseTime('2026-03-01T10:00:00Z'), '2026-03-01 10:00:00.000');
  assert.is(clickHouseTime('2026-03-01T11:30:00.5+01:30'), '2026-03-01 10:00:00.500');
});

test.run();
