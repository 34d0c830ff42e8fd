import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { frameworkProblem, problemBody, sendProblem, toProblem } from './problem';

/**
 * Errors raised before a route runs answer problem+json like every other error (DESIGN §6):
 * Fastify's router (bad URL encoding, an over-long path parameter) and Node's HTTP parser
 * (headers too large, malformed framing, control characters in a header), which Fastify and Node
 * would otherwise answer with their own JSON or a bare status line.
 */

function onFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  void sendProblem(reply, toProblem(error));
}

/** Node's 'clientError': no request exists yet, so the answer is written on the socket itself. */
function onClientError(error: Error & { code?: string }, socket: Socket) {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const problem = frameworkProblem(error.code);
    const body = JSON.stringify(problemBody(problem));
    socket.write(`HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\n`
      + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/**
 * A request whose headers and body are not all in after this long is cut off (408, written by
 * onClientError): Fastify's default, 0, lets a client that never finishes its body hold the
 * socket for ever. Handling time does not count, only receiving the request.
 */
export const requestTimeoutMs = 30_000;

/** Spread into the options of every Fastify app (`Fastify({ ...edgeErrorOptions, … })`). */
export const edgeErrorOptions = {
  requestTimeout: requestTimeoutMs,
  frameworkErrors: onFrameworkError,
  clientErrorHandler: onClientError,
} satisfies Partial<FastifyServerOptions>;
