import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestTimeoutMs } from './edge-errors';
import { problemBody, requestTimeoutProblem } from './problem';

/**
 * Node's requestTimeout stops counting once the headers are in: a client that sends them and then
 * trickles (or never sends) its body would hold its socket for ever. Past `ms` without the whole
 * body, the request is answered 408 problem+json and the connection closed. Fastify is still
 * waiting for the body then, so the answer is written on the raw response.
 */
export function installRequestDeadline(app: FastifyInstance, ms = requestTimeoutMs) {
  if (ms <= 0) return;
  const deadlines = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  app.addHook('onRequest', async (request, reply) => {
    const timer = setTimeout(() => {
      if (reply.raw.headersSent || reply.raw.writableEnded) return;
      const problem = requestTimeoutProblem();
      reply.raw.writeHead(408, { 'Content-Type': 'application/problem+json', Connection: 'close' });
      reply.raw.end(JSON.stringify(problemBody(problem)), () => request.raw.socket?.destroy());
    }, ms);
    timer.unref();
    deadlines.set(request, timer);
    reply.raw.once('close', () => clearTimeout(timer));
  });
  // The body is in (parsed) once preValidation runs: what follows is handling time, not receiving.
  app.addHook('preValidation', async (request) => clearTimeout(deadlines.get(request)));
}
