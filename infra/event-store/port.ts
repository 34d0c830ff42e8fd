/**
 * The event store as the rest of the code sees it. Shaped after what both PostgreSQL and
 * EventStoreDB can do: append to one stream with an expected revision, read a stream, read the
 * global log forward from a position, and follow it.
 */
export type Actor = { userId: string; roles: string[] } | { system: string };

export type EventEnvelope = {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  /** 0-based, per stream. */
  streamRevision: number;
  /** Global order in the store. Increases along the log; not dense (gaps are normal). */
  position: number;
  tenantId: string;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  data: unknown;
};

/** What a writer supplies; the store assigns stream revision, position and recording time. */
export type NewEvent = Omit<EventEnvelope, 'streamId' | 'streamRevision' | 'position' | 'recordedAt'>;

/** A revision number, or 'no-stream' (the stream must not exist yet), or 'any'. */
export type ExpectedRevision = number | 'no-stream' | 'any';

export type AppendResult = { nextExpectedRevision: number; position: number };

export class WrongExpectedRevisionError extends Error {
  constructor(readonly streamId: string, readonly expected: ExpectedRevision, readonly actual: number | 'no-stream') {
    super(`Stream ${streamId}: expected revision ${expected}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export type GlobalReadOptions = { tenantId?: string; limit: number };

export interface EventStore {
  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** All events of a stream in revision order; [] when it does not exist. */
  readStream(streamId: string): Promise<EventEnvelope[]>;
  /** Events after `afterPosition` (exclusive) in log order, never skipping one committed later. */
  readAll(afterPosition: number, options: GlobalReadOptions): Promise<EventEnvelope[]>;
  /** Which of these streams exist. */
  existingStreams(streamIds: string[]): Promise<Set<string>>;
  /** The position a reader has to reach to have seen everything committed so far. */
  headPosition(): Promise<number>;
}

export const noPosition = 0;
