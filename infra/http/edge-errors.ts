import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { HttpProblem, problemBody, sendProblem, toProblem } from './problem';

/**
 * Errors raised before a route runs answer problem+json like every other error (DESIGN §6):
 * Fastify's router (bad URL encoding, an over-long path parameter) and Node's HTTP parser
 * (headers too large, malformed framing, control characters in a header), which Fastify and Node
 * would otherwise answer with their own JSON or a bare status line.
 */

function routerProblem(error: FastifyError): HttpProblem {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new HttpProblem(400, 'malformed-url', 'Bad request', 'The URL is not validly percent-encoded UTF-8.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new HttpProblem(414, 'uri-too-long', 'URI too long', 'A path parameter exceeds the length limit.');
    default:
      return toProblem(error);
  }
}

function connectionProblem(error: Error & { code?: string }): HttpProblem {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HttpProblem(431, 'request-header-fields-too-large', 'Request header fields too large',
        'The request headers exceed the size limit.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new HttpProblem(408, 'request-timeout', 'Request timeout', 'The request was not received in time.');
    default:
      return new HttpProblem(400, 'malformed-request', 'Bad request', 'The request is not well-formed HTTP/1.1.');
  }
}

function onFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  void sendProblem(reply, routerProblem(error));
}

/** Node's 'clientError': no request exists yet, so the answer is written on the socket itself. */
function onClientError(error: Error & { code?: string }, socket: Socket) {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const problem = connectionProblem(error);
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
