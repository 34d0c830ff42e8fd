import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, sendProblem } from './problem';
import { installRequestDeadline } from './request-deadline';

export type LoadSheddingLimits = {
  /** Requests this app serves at once; one more is refused at once rather than queued behind them. */
  maxInFlight: number;
  /**
   * Event-loop delay (p99 over the last `windowMs`) past which new requests are refused: the
   * process has more work than CPU, and whatever it accepts now waits behind it.
   */
  maxEventLoopDelayMs: number;
  windowMs: number;
  /** A lagging loop sheds only with at least this many requests in flight: one long call alone is no overload. */
  minInFlightToShedOnDelay: number;
  retryAfterSeconds: number;
  /** Another reason to refuse new work, from the composition root (e.g. projections far behind); undefined: none. */
  pressure?: () => string | undefined;
};

/** Far above what tests and benchmarks send, far below where latency reaches seconds on two cores. */
export const defaultLoadSheddingLimits: LoadSheddingLimits = {
  maxInFlight: 512, maxEventLoopDelayMs: 500, windowMs: 500, minInFlightToShedOnDelay: 32, retryAfterSeconds: 1,
};

/** Operations must answer especially when the process is overloaded: they are never shed. */
const neverShed = new Set(['/health', '/ready', '/metrics']);

/** The process has more than it can serve: retry shortly, elsewhere or later; nothing was done. */
export const overloaded = (reason: string, retryAfterSeconds: number) => new HttpProblem(503, 'overloaded', 'Service unavailable',
  `The service is overloaded (${reason}); nothing was done, retry shortly.`, undefined, { 'Retry-After': String(retryAfterSeconds) });

/** A counted request's place in the in-flight bound, which it can give back while it only waits. */
type Slot = { counted: boolean; done: boolean; take: () => void; give: () => void };

/** Where a request carries its slot: per request, set by the app's own installer, so no table outlives an app. */
const slotOf = Symbol('in-flight slot');
type Slotted = FastifyRequest & { [slotOf]?: Slot };

/**
 * Runs `waiting` without holding the request's place in the in-flight bound: a request that only
 * waits (read-your-writes waiting for the projections, bounded on its own) uses no pool connection
 * nor CPU, and must not crowd out the requests that do.
 */
export async function idleWhile<T>(request: FastifyRequest, waiting: Promise<T>): Promise<T> {
  const slot = (request as Slotted)[slotOf];
  if (slot?.counted) {
    slot.counted = false;
    slot.give();
  }
  try {
    return await waiting;
  } finally {
    if (slot && !slot.counted && !slot.done) {
      slot.counted = true;
      slot.take();
    }
  }
}

/**
 * Sheds load before it queues: a request over the in-flight bound, or arriving while the event
 * loop lags, is answered 503 `overloaded` with Retry-After (before its body is read when it can), so
 * the requests accepted keep their latency. Only requests whose body is in are counted (see
 * preValidation). Returns the Prometheus text of what it shed.
 */
export function installLoadShedding(app: FastifyInstance, limits: Partial<LoadSheddingLimits> = {}, bodyDeadlineMs?: number) {
  const { maxInFlight, maxEventLoopDelayMs, windowMs, minInFlightToShedOnDelay, retryAfterSeconds, pressure } = { ...defaultLoadSheddingLimits, ...limits };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lagging = false;
  let lastTick = performance.now();
  const sampler = setInterval(() => {
    // This tick's own lateness counts too: right after a long block the histogram's timer may not
    // have recorded the block yet when this one runs first.
    const now = performance.now();
    const tickLateMs = now - lastTick - windowMs;
    lastTick = now;
    lagging = Math.max(delay.percentile(99) / 1e6, tickLateMs) > maxEventLoopDelayMs;
    delay.reset();
  }, windowMs);
  sampler.unref();
  app.addHook('onClose', async () => {
    clearInterval(sampler);
    delay.disable();
  });

  // Requests waiting for their body are not counted: the deadline is what bounds them.
  installRequestDeadline(app, bodyDeadlineMs);
  let inFlight = 0;
  const shed = new Map<string, number>();
  const reasonNow = () => (inFlight >= maxInFlight ? 'in-flight'
    : lagging && inFlight >= minInFlightToShedOnDelay ? 'event-loop-delay' : pressure?.());
  const refuse = (reply: FastifyReply, reason: string) => {
    shed.set(reason, (shed.get(reason) ?? 0) + 1);
    return sendProblem(reply, overloaded(reason, retryAfterSeconds));
  };
  // Refused before the body is read when the process is already full: the cheapest answer.
  app.addHook('onRequest', async (request, reply) => {
    if (neverShed.has(request.url.split('?')[0]!)) return;
    const reason = reasonNow();
    if (reason !== undefined) return refuse(reply, reason);
  });
  // The place is taken only once the body is in: a client that sends its headers and then trickles
  // (or never sends) its body holds a socket, cut off by requestTimeout, but no place of the bound.
  app.addHook('preValidation', async (request, reply) => {
    if (neverShed.has(request.url.split('?')[0]!)) return;
    const reason = reasonNow();
    if (reason !== undefined) return refuse(reply, reason);
    const slot: Slot = { counted: true, done: false, take: () => { inFlight += 1; }, give: () => { inFlight -= 1; } };
    slot.take();
    (request as Slotted)[slotOf] = slot;
    // The response sent ('finish') or the client gone first ('close'): the place is given back once.
    const release = () => {
      if (slot.done) return;
      slot.done = true;
      if (slot.counted) slot.give();
      slot.counted = false;
    };
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
  });

  return {
    metrics: () => ['# TYPE http_requests_in_flight gauge', `http_requests_in_flight ${inFlight}`, '# TYPE http_requests_shed_total counter',
      ...[...shed].map(([reason, count]) => `http_requests_shed_total{reason="${reason}"} ${count}`)].join('\n') + '\n',
  };
}
