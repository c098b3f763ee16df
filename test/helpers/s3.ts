// A real S3-compatible server for tests: s3rver on 127.0.0.1, a random port, a temporary folder and one bucket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { Config } from '../../server/src/config.js';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** the store options as config.s3 holds them */
  s3: Config['s3'];
  close(): Promise<void>;
}

export async function startS3(bucket = 'andecha-test'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'andecha-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    // s3rver accepts only its fixed key pair
    s3: { endpoint, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
