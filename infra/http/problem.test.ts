import { DatabaseError } from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isTransientError } from '../../projectors/runtime/transient-errors';
import { frameworkProblem, toProblem } from './problem';

const test = suite('one mapping of errors: PostgreSQL kinds shared by HTTP and projections, framework codes by both edges');

/** An error as node-postgres raises it for a server message with this SQLSTATE. */
const sqlError = (code: string) => Object.assign(new DatabaseError(`sqlstate ${code}`, 0, 'error'), { code });
const socketError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

test('what the HTTP API answers 503 for, the projections retry rather than dead-letter', () => {
  for (const error of [sqlError('57014'), sqlError('25P03')]) {
    assert.is(toProblem(error).code, 'database-timeout', error.code);
    assert.ok(isTransientError(error), `${error.code} is retried`);
  }
  for (const error of [sqlError('08006'), sqlError('53300'), sqlError('57P01'), sqlError('57P03'), socketError('EPIPE'), socketError('ECONNREFUSED'),
    new Error('Connection terminated unexpectedly')]) {
    assert.is(toProblem(error).code, 'dependency-unavailable', String((error as { code?: string }).code ?? error.message));
    assert.ok(isTransientError(error), `${(error as { code?: string }).code ?? error.message} is retried`);
  }
  for (const error of [sqlError('23505'), sqlError('22P02'), sqlError('42P01')]) {
    assert.is(toProblem(error).status, 500, error.code);
    assert.not.ok(isTransientError(error), `${error.code} is the work's own fault`);
  }
});

test('framework and HTTP-parser codes map the same inside a request and before one exists', () => {
  const expected: [string, number, string, string][] = [
    ['FST_ERR_BAD_URL', 400, 'malformed-url', 'Bad request'], ['FST_ERR_MAX_PARAM_LENGTH', 414, 'uri-too-long', 'URI too long'],
    ['HPE_HEADER_OVERFLOW', 431, 'request-header-fields-too-large', 'Request header fields too large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'request-timeout', 'Request timeout'], ['HPE_INVALID_METHOD', 400, 'malformed-request', 'Bad request'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'payload-too-large', 'Payload too large'],
  ];
  for (const [code, status, problemCode, title] of expected) {
    const problem = frameworkProblem(code);
    assert.equal([problem.status, problem.code, problem.title], [status, problemCode, title], code);
    if (code.startsWith('FST_')) assert.equal(toProblem(Object.assign(new Error(code), { code })), problem, code);
  }
});

test.run();
