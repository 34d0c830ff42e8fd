import { eventDefinitions } from '../domain/event-definitions';
import type { DomainEvent } from '../domain/shared/event';
import type { Actor, EventEnvelope, EventStore, NewEvent } from '../infra/event-store/port';
import { WrongExpectedRevisionError } from '../infra/event-store/port';
import { HttpProblem } from '../infra/http/problem';

/** Who asked, when, and under which correlation: stamped on every event a command appends. */
export type CommandContext = {
  tenantId: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  now: string;
  newId: () => string;
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
  appended: number;
  state: State;
};

const attemptsWithoutIfMatch = 3;

/**
 * Load → decide → append with the expected revision. With `ifMatch` the caller's revision is the
 * expectation (a mismatch is a 412); without it, a concurrent writer's win is retried on fresh state.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command | ((state: State) => Command),
  context: CommandContext,
  ifMatch?: number,
): Promise<CommandResult<State>> {
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(streamId);
    const state = history.reduce((s, e) => decider.evolve(s, e as unknown as Event), decider.initialState);
    const revision = history.length - 1;
    if (ifMatch !== undefined && ifMatch !== revision) throw preconditionFailed(revision);
    const resolved = typeof command === 'function' ? (command as (s: State) => Command)(state) : command;
    const events = decider.decide(resolved, state);
    if (events.length === 0) return { revision, position: history.at(-1)?.position ?? 0, appended: 0, state };
    try {
      const result = await store.append(streamId, events.map((e) => envelope(e, context)), revision < 0 ? 'no-stream' : revision);
      const newState = events.reduce(decider.evolve, state);
      return { revision: result.nextExpectedRevision, position: result.position, appended: events.length, state: newState };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (ifMatch !== undefined) throw preconditionFailed(typeof error.actual === 'number' ? error.actual : -1);
      if (attempt >= attemptsWithoutIfMatch) throw error;
    }
  }
}

/** Reads a stream's state without deciding anything (for references such as a membership type). */
export async function loadState<Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
): Promise<{ state: State; history: EventEnvelope[] }> {
  const history = await store.readStream(streamId);
  return { state: history.reduce((s, e) => decider.evolve(s, e as unknown as Event), decider.initialState), history };
}

export function envelope(event: DomainEvent, context: CommandContext): NewEvent {
  return {
    eventId: context.newId(),
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

const preconditionFailed = (current: number) =>
  new HttpProblem(412, 'revision-mismatch', 'Precondition failed',
    `If-Match does not match the current revision ${current}.`, undefined, { ETag: `"${current}"` });
