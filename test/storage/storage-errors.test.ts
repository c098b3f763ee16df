// Blob store failures map by S3 error code or errno, never by message: full → 507, unreachable or failing → 503.
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../server/src/errors.js';

describe('classifyError for the blob store', () => {
  it('maps S3 and file-system codes to 503/507 with Retry-After', () => {
    const slow = classifyError({ name: 'SlowDown', message: 'whatever', $metadata: { httpStatusCode: 503 } });
    expect([slow?.status, slow?.message, slow?.headers?.['retry-after']]).toEqual([
      503,
      'The blob store is unreachable',
      '5',
    ]);
    expect(classifyError({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } })?.status).toBe(503);
    expect(classifyError({ name: 'Error', code: 'ECONNREFUSED', $metadata: {} })?.message).toBe(
      'The blob store is unreachable',
    );
    const full = classifyError({ name: 'XMinioStorageFull', $metadata: { httpStatusCode: 507 } });
    expect([full?.status, full?.code]).toEqual([507, 'insufficient-storage']);
    expect(classifyError({ code: 'ENOSPC', message: 'no space left on device' })?.status).toBe(507);
    // a message that names a code is not that error
    expect(classifyError(new Error('SlowDown: XMinioStorageFull'))).toBeUndefined();
  });

  it('names the blob store when its host or network cannot be reached, whatever status the SDK recorded', () => {
    // the connection codes are one list (db/connection-loss.ts): errors.ts once had its own, without these two, so
    // an S3 error carrying them and a non-5xx status fell through to "The database is unreachable"
    for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED']) {
      const p = classifyError({ name: 'Error', code, message: code, $metadata: { httpStatusCode: 0 } });
      expect([p?.status, p?.message, p?.headers?.['retry-after']]).toEqual([503, 'The blob store is unreachable', '5']);
    }
  });
});
