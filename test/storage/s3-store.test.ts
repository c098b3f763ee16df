// The S3 blob store against the shared behaviour suite, on a real S3-compatible server (s3rver) on 127.0.0.1.
import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ListObjectsV2Command, ListMultipartUploadsCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { S3BlobStore } from '../../server/src/storage/s3-store.js';
import { startS3, type TestS3 } from '../helpers/s3.js';
import { blobStoreBehaviour } from './blob-store.behaviour.js';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

blobStoreBehaviour('s3', async () => {
  // a bucket per test, so list() starts empty
  const bucket = 't' + randomBytes(6).toString('hex');
  const store = new S3BlobStore({ ...s3.s3, bucket, partSize: 5 * 1024 * 1024 });
  await store.client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    store,
    leftovers: async () => {
      const objects = await store.client.send(new ListObjectsV2Command({ Bucket: bucket }));
      const uploads = await store.client
        .send(new ListMultipartUploadsCommand({ Bucket: bucket }))
        .catch(() => ({ Uploads: [] }));
      return [...(objects.Contents ?? []).map((o) => o.Key!), ...(uploads.Uploads ?? []).map((u) => `upload:${u.Key}`)];
    },
    close: async () => store.close(),
  };
});
