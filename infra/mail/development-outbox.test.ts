import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDevelopmentOutbox } from './development-outbox';

const mail = (to: string, n: number) => ({ to, subject: `Invitation ${n}`, text: `link ${n}` });

test('the outbox keeps the mails with an id and sentAt, newest first', async () => {
  let clock = Date.parse('2026-12-01T10:00:00.000Z');
  const outbox = createDevelopmentOutbox({ now: () => new Date(clock) });
  await outbox.send(mail('ada@example.org', 1));
  clock += 1_000;
  await outbox.send({ ...mail('grace@example.org', 2), html: '<p>link 2</p>' });
  const listed = outbox.list();
  assert.equal(listed.map((kept) => [kept.subject, kept.sentAt, kept.html]),
    [['Invitation 2', '2026-12-01T10:00:01.000Z', '<p>link 2</p>'], ['Invitation 1', '2026-12-01T10:00:00.000Z', undefined]]);
  assert.match(listed[0]!.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is.not(listed[0]!.id, listed[1]!.id);
  assert.equal(listed[1], { to: 'ada@example.org', subject: 'Invitation 1', text: 'link 1', id: listed[1]!.id, sentAt: '2026-12-01T10:00:00.000Z' });
});

test('only the last `keep` mails are kept (default 200)', async () => {
  const small = createDevelopmentOutbox({ keep: 3 });
  for (let n = 1; n <= 5; n += 1) await small.send(mail('ada@example.org', n));
  assert.equal(small.list().map((kept) => kept.subject), ['Invitation 5', 'Invitation 4', 'Invitation 3']);
  const standard = createDevelopmentOutbox();
  for (let n = 1; n <= 205; n += 1) await standard.send(mail('ada@example.org', n));
  const kept = standard.list();
  assert.is(kept.length, 200);
  assert.is(kept[0]?.subject, 'Invitation 205');
  assert.is(kept[199]?.subject, 'Invitation 6');
  assert.throws(() => createDevelopmentOutbox({ keep: 0 }));
});

test('list filters by recipient, ignoring case, and its results cannot change what is kept', async () => {
  const outbox = createDevelopmentOutbox();
  await outbox.send(mail('ada@example.org', 1));
  await outbox.send(mail('grace@example.org', 2));
  await outbox.send(mail('Ada@Example.org', 3));
  assert.equal(outbox.list({ to: 'ada@example.org' }).map((kept) => kept.subject), ['Invitation 3', 'Invitation 1']);
  assert.equal(outbox.list({ to: 'nobody@example.org' }), []);
  assert.is(outbox.list({}).length, 3);
  outbox.list()[0]!.text = 'changed';
  assert.is(outbox.list()[0]?.text, 'link 3');
});

test.run();
