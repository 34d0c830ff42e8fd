import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { v7 as uuidv7 } from 'uuid';
import type { DomainEvent } from '../domain/shared/event';
import type { EventEnvelope, EventStore } from '../infra/event-store/port';
import type { CommandContext } from './handle-command';

/**
 * Exactly one effect per Idempotency-Key, whatever crashes (DESIGN §5). An attempt that died
 * after some appends left them in the log, stamped with the key; the attempt that resumes it
 * (see the idempotency store) must finish the work without repeating it. Two things make that
 * possible: every attempt of a keyed request generates the same ids and runs at the same `now`
 * (so it addresses the streams the first one created and decides the same events), and before an
 * append a resumed attempt looks for the events an earlier attempt already appended there.
 */

/** The ids of a keyed request: UUIDv7s at its first attempt's start, their bits from the key. */
export function idsOfKeyedRequest(tenantId: string, key: string, startedAt: string): () => string {
  const msecs = Date.parse(startedAt);
  let issued = 0;
  return () => {
    const random = createHash('sha256').update(`${tenantId}\n${key}\n${startedAt}\n${issued++}`).digest().subarray(0, 16);
    return uuidv7({ msecs, random });
  };
}

/**
 * What earlier attempts of this request appended to the stream; [] unless the attempt resumes.
 * Every attempt stamps its events with the first attempt's start (`occurredAt`), so the key and
 * that instant name the request exactly, whatever the database's clock says.
 */
export async function appendedByEarlierAttempts(store: Pick<EventStore, 'readStream'>, streamId: string, context: CommandContext) {
  const { resumedSince, idempotencyKey } = context;
  if (resumedSince === undefined || idempotencyKey === undefined) return [];
  return (await store.readStream(streamId)).filter((e) => e.idempotencyKey === idempotencyKey && e.occurredAt === resumedSince);
}

/** True when every event decided now was already appended (same type, same data) by an earlier attempt. */
export function alreadyAppended(decided: DomainEvent[], earlier: EventEnvelope[]) {
  if (earlier.length === 0) return false;
  const appended = new Set(earlier.map((e) => stringify([e.type, e.data])));
  return decided.every((e) => appended.has(stringify([e.type, e.data])));
}

/** One body, one hash: bodies that differ only in their keys' order are the same request. */
export const requestHash = (method: string, url: string, body: unknown, ifMatch?: string | string[]) =>
  createHash('sha256').update(`${method} ${url}\n${stringify(body ?? {})}\n${String(ifMatch ?? '')}`).digest('hex');
