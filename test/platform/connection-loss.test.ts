// Lost database connections map to 503 by code, and by node-postgres's code-less errors (matched in one place).
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../server/src/errors.js';
import { isDatabaseConnectionLoss } from '../../server/src/db/connection-loss.js';

describe('database connection loss', () => {
  it('recognises node-postgres and pg-pool connection errors, wrapped or not', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'timeout exceeded when trying to connect',
      'Connection terminated due to connection timeout',
      'Client has encountered a connection error and is not queryable',
    ]) {
      expect(isDatabaseConnectionLoss(new Error(message))).toBe(true);
      // drizzle wraps the driver's error as cause
      expect(isDatabaseConnectionLoss(new Error('Failed query: select 1', { cause: new Error(message) }))).toBe(true);
      const p = classifyError(new Error('Failed query', { cause: new Error(message) }));
      expect([p?.status, p?.headers?.['retry-after']]).toEqual([503, '5']);
    }
    expect(isDatabaseConnectionLoss(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
  });

  it('does not take a server error or other text for a lost connection', () => {
    // the server answered: it has a code, whatever its message says
    expect(
      isDatabaseConnectionLoss(Object.assign(new Error('Connection terminated unexpectedly'), { code: '42P01' })),
    ).toBe(false);
    expect(isDatabaseConnectionLoss(new Error('the connection terminated unexpectedly, said the user'))).toBe(false);
    expect(classifyError(new Error('boom'))).toBeUndefined();
  });
});
