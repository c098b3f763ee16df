// The error catalogue maps failures by code, never by message text, and never leaks 5xx details.
import { describe, expect, it } from 'vitest';
import { AppError, classifyError } from '../../server/src/errors.js';

describe('classifyError', () => {
  it('maps PostgreSQL errors by SQLSTATE code', () => {
    expect(classifyError({ code: '23505', message: 'anything at all' })?.status).toBe(409);
    expect(classifyError({ code: '23503' })?.status).toBe(409);
    expect(classifyError({ cause: { code: '23505' } })?.status).toBe(409);
    const down = classifyError({ code: 'ECONNREFUSED' });
    expect(down?.status).toBe(503);
    expect(down?.headers?.['retry-after']).toBe('5');
    // a message that merely mentions a code is not that error
    expect(classifyError(new Error('duplicate key value violates unique constraint 23505'))).toBeUndefined();
  });

  it('turns an AppError into problem+json with its field errors', () => {
    const p = new AppError('validation', 'bad', { errors: [{ field: '/x', message: 'is wrong' }] }).toProblem();
    expect(p).toEqual({
      type: 'https://andecha.org/problems/validation',
      title: 'The request did not pass validation',
      status: 400,
      detail: 'bad',
      errors: [{ field: '/x', message: 'is wrong' }],
    });
  });
});
