import { v7 as uuidv7 } from 'uuid';
import { envelope } from '../command-api/handle-command';
import type { DomainEvent } from '../domain/shared/event';
import { tenantStreamId } from '../infra/event-store/stream-name';
import type { Harness } from './platform-harness';

/**
 * Appends to a member's stream directly, as the Stripe dues side will (its command side is built
 * elsewhere), after the stream's last revision; returns the position to read at.
 */
export async function appendToMember(h: Harness, tenantId: string, memberId: string, events: DomainEvent[], now = '2026-03-03T12:00:00.000Z') {
  const streamId = tenantStreamId('member', tenantId, memberId);
  const last = (await h.platform.eventStore.readStream(streamId)).at(-1);
  const context = { tenantId, actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(), now, newId: () => uuidv7() };
  const appended = await h.platform.eventStore.append(streamId, events.map((e) => envelope(e, context)), last ? last.streamRevision : 'no-stream');
  return appended.position;
}

export const registered = (memberId: string, n: number | string): DomainEvent => ({ type: 'MemberRegistered',
  data: { memberId, email: `m${n}@example.org`, firstName: `F${n}`, lastName: `L${n}`, membershipTypeId: null, status: 'active' } });

export const stripeTerms = (membershipTypeId: string, monthlyAmountCents: number, periodStart: string, periodEnd: string) => ({
  billing: 'stripe', membershipTypeId, interval: 'month', amountCents: monthlyAmountCents, monthlyAmountCents, currency: 'EUR', periodStart, periodEnd,
});
