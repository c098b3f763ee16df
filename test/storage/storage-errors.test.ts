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
});
