import { eventDefinitions } from '../domain/event-definitions';
import type { DomainEvent } from '../domain/shared/event';
import type { Actor, NewEvent } from '../infra/event-store/port';
import { WrongExpectedRevisionError } from '../infra/event-store/port';
import { HttpProblem } from '../infra/http/problem';
import { alreadyAppended, appendedByEarlierAttempts } from './resumed-request';
import type { StreamStates } from './stream-states';

/** Who asked, when, and under which correlation: stamped on every event a command appends. */
export type CommandContext = {
  tenantId: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  /**
   * Set when a keyed request resumes an attempt that may have had effects (the first attempt's
   * start): its commands then skip what that attempt already appended (see resumed-request.ts).
   */
  resumedSince?: string;
  now: string;
  /** Ids of what the command creates; the same on every attempt of a keyed request. */
  newId: () => string;
  /** Ids of the events themselves, always fresh (defaults to `newId`). */
  newEventId?: () => string;
};

export type Decider<Command, Event extends DomainEvent, State> = {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: State;
};

export type CommandResult<State> = {
  /** The stream's revision after the command; -1 when the stream still does not exist. */
  revision: number;
  position: number;
  state: State;
  /** False when the decision was "already done" (`[]`), confirmed on the stored state. */
  changed: boolean;
};

const attemptsWithoutIfMatch = 3;

/**
 * Load → decide → append with the expected revision. With `ifMatch` the caller's revision is the
 * expectation (a mismatch is a 412); without it, a concurrent writer's win is retried on fresh state.
 * `cachedNoOpIsFinal` is for commands whose state only grows by merging (a join): what adds
 * nothing to a cached state adds nothing to the stored one, which holds at least as much, so an
 * "already done" decided on the cache needs no read to confirm it.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  streams: StreamStates,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: CommandContext,
  ifMatch?: number,
  cachedNoOpIsFinal = false,
): Promise<CommandResult<State>> {
  for (let attempt = 1; ; attempt++) {
    let loaded = await streams.load(streamId, decider);
    if (ifMatch !== undefined && ifMatch !== loaded.revision) {
      // The cache may be behind another process: only the store can say the precondition failed.
      streams.forget(streamId);
      loaded = await streams.load(streamId, decider);
      if (ifMatch !== loaded.revision) throw preconditionFailed(loaded.revision);
    }
    const { state, revision, position } = loaded;
    let events: Event[];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      // Refused because an earlier attempt of this request did it (a create, a status change).
      if ((await appendedByEarlierAttempts(streams.store, streamId, context)).length > 0) return reloaded(streams, streamId, decider);
      // A refusal decided on a cached state may be an artefact of another process's append.
      if (!loaded.cached) throw error;
      streams.forget(streamId);
      continue;
    }
    if (events.length === 0) {
      if (!loaded.cached || cachedNoOpIsFinal) return { revision, position, state, changed: false };
      streams.forget(streamId);
      continue;
    }
    if (alreadyAppended(events, await appendedByEarlierAttempts(streams.store, streamId, context))) {
      return reloaded(streams, streamId, decider);
    }
    try {
      const result = await streams.store.append(streamId, events.map((e) => envelope(e, context)), revision < 0 ? 'no-stream' : revision);
      const newState = events.reduce(decider.evolve, state);
      streams.stored(streamId, decider, { state: newState, revision: result.nextExpectedRevision, position: result.position });
      return { revision: result.nextExpectedRevision, position: result.position, state: newState, changed: true };
    } catch (error) {
      streams.forget(streamId);
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (ifMatch !== undefined) throw preconditionFailed(typeof error.actual === 'number' ? error.actual : -1);
      if (attempt >= attemptsWithoutIfMatch) throw error;
    }
  }
}

/** The stream as stored, when an earlier attempt of the request already changed it. */
async function reloaded<State>(streams: StreamStates, streamId: string, decider: Decider<any, any, State>): Promise<CommandResult<State>> {
  streams.forget(streamId);
  const { state, revision, position } = await streams.load(streamId, decider);
  return { revision, position, state, changed: false };
}

export function envelope(event: DomainEvent, context: CommandContext): NewEvent {
  return {
    eventId: (context.newEventId ?? context.newId)(),
    type: event.type,
    schemaVersion: eventDefinitions[event.type]?.schemaVersion ?? 1,
    tenantId: context.tenantId,
    occurredAt: context.now,
    actor: context.actor,
    correlationId: context.correlationId,
    causationId: context.causationId,
    ...(context.idempotencyKey === undefined ? {} : { idempotencyKey: context.idempotencyKey }),
    data: event.data,
  };
}

/** 412 revision-mismatch: If-Match names a revision the stream is no longer at. */
export const preconditionFailed = (current: number) =>
  new HttpProblem(412, 'revision-mismatch', 'Precondition failed',
    `If-Match does not match the current revision ${current}.`, undefined, { ETag: `"${current}"` });
