// A real S3-compatible server for tests: Ceph's RADOS Gateway when TEST_S3_ENDPOINT etc. name one (scripts/radosgw.sh
// start prints the settings; .ci/run exports them with a TEST_ prefix), else s3rver on 127.0.0.1 in a temporary folder.
// Either way each startS3() gets a bucket of its own, so test files running in parallel never see each other's keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import S3rver from 's3rver';
import {
  S3Client,
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import type { Config } from '../../server/src/config.js';

export interface TestS3 {
  /** which server answers: radosgw (configured in the environment) or s3rver (started here) */
  server: 'radosgw' | 's3rver';
  endpoint: string;
  bucket: string;
  /** the store options as config.s3 holds them */
  s3: Config['s3'];
  /** another empty bucket on the same server, removed with its contents by close() */
  newBucket(): Promise<string>;
  close(): Promise<void>;
}

/** The radosgw settings from the environment (TEST_S3_ENDPOINT, TEST_S3_REGION, TEST_S3_ACCESS_KEY_ID,
 * TEST_S3_SECRET_ACCESS_KEY), or undefined when the tests should start s3rver. */
export function configuredS3(): Omit<Config['s3'], 'bucket'> | undefined {
  const endpoint = process.env.TEST_S3_ENDPOINT;
  if (!endpoint) return undefined;
  const accessKeyId = process.env.TEST_S3_ACCESS_KEY_ID;
  const secretAccessKey = process.env.TEST_S3_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new Error('TEST_S3_ENDPOINT is set but TEST_S3_ACCESS_KEY_ID or TEST_S3_SECRET_ACCESS_KEY is not');
  return { endpoint, region: process.env.TEST_S3_REGION ?? 'us-east-1', accessKeyId, secretAccessKey };
}

export const s3ServerName = (): TestS3['server'] => (configuredS3() ? 'radosgw' : 's3rver');

function clientFor(s3: Omit<Config['s3'], 'bucket'>): S3Client {
  return new S3Client({
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: s3.accessKeyId!, secretAccessKey: s3.secretAccessKey! },
  });
}

/** Deletes every object and unfinished multipart upload of a bucket, then the bucket. */
async function removeBucket(client: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length === 0) break;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
  }
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const u of uploads.Uploads ?? [])
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key!, UploadId: u.UploadId! }));
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

export async function startS3(bucket = 'andecha-test'): Promise<TestS3> {
  const configured = configuredS3();
  if (configured) return onConfiguredServer(configured, bucket);
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
  // s3rver accepts only its fixed key pair
  const options = { endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = clientFor(options);
  return {
    server: 's3rver',
    endpoint,
    bucket,
    s3: { ...options, bucket },
    async newBucket() {
      const name = 't' + randomBytes(6).toString('hex');
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A shared radosgw: the bucket gets a random suffix, and close() removes it and every bucket newBucket() made. */
async function onConfiguredServer(options: Omit<Config['s3'], 'bucket'>, prefix: string): Promise<TestS3> {
  const client = clientFor(options);
  const made: string[] = [];
  const newBucket = async (base = 't') => {
    const name = `${base}-${randomBytes(6).toString('hex')}`;
    await client.send(new CreateBucketCommand({ Bucket: name }));
    made.push(name);
    return name;
  };
  const bucket = await newBucket(prefix);
  return {
    server: 'radosgw',
    endpoint: options.endpoint!,
    bucket,
    s3: { ...options, bucket },
    newBucket: () => newBucket(),
    async close() {
      try {
        for (const name of made) await removeBucket(client, name);
      } finally {
        client.destroy();
      }
    },
  };
}
