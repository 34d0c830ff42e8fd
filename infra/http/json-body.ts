import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem';

/**
 * JSON bodies: an empty body counts as no body (commands such as /activate take none), anything
 * else must parse. Every other media type (Fastify also parses text/plain by default) is a 415.
 */
export function installJsonBodyParser(app: FastifyInstance, bodyLimit: number) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new HttpProblem(400, 'malformed-json', 'Bad request', 'The body is not valid JSON.'), undefined);
    }
  });
}
