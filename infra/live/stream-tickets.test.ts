import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStreamTickets, streamTicketTtlSeconds } from './stream-tickets';

const principal = { userId: 'u1', tenantId: '0190a7e0-0000-7000-8000-000000000001', roles: ['owner' as const] };

test('a ticket is redeemed once, within its 60 s, and a forged one never', async () => {
  let clock = 1_000_000;
  const tickets = createMemoryStreamTickets(() => clock);
  const { ticket, expiresAt } = await tickets.issue(principal);
  assert.is(Date.parse(expiresAt), clock + streamTicketTtlSeconds * 1000);
  assert.ok(/^[A-Za-z0-9_-]{43}$/.test(ticket), '32 random bytes, base64url');
  assert.equal(await tickets.redeem(ticket), principal);
  assert.is(await tickets.redeem(ticket), undefined, 'single use');
  const late = await tickets.issue(principal);
  clock += streamTicketTtlSeconds * 1000;
  assert.is(await tickets.redeem(late.ticket), undefined, 'expired');
  assert.is(await tickets.redeem(`${ticket.slice(0, -1)}x`), undefined);
});

test.run();
