// Opens a blob store named by a URL (migrate-data's target): s3://bucket?endpoint=…&region=…, or file:///path / a plain path.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs-store.js';
import { S3BlobStore, type S3StoreOptions } from './s3-store.js';

/** The S3 options a URL names; keys come from the configuration (S3_ACCESS_KEY_ID…), never the URL, so they stay out of shell history. */
export function s3OptionsFromUrl(url: URL, defaults: Config['s3']): S3StoreOptions {
  if (!url.hostname) throw new Error(`${url.href}: name the bucket, s3://bucket?endpoint=http://host:9000`);
  return {
    ...defaults,
    bucket: url.hostname,
    endpoint: url.searchParams.get('endpoint') ?? defaults.endpoint,
    region: url.searchParams.get('region') ?? defaults.region,
  };
}

export async function openBlobStoreUrl(spec: string, defaults: Config['s3']): Promise<BlobStore> {
  if (spec.startsWith('s3://')) return new S3BlobStore(s3OptionsFromUrl(new URL(spec), defaults));
  const dir = spec.startsWith('file://') ? fileURLToPath(spec) : resolve(spec);
  return new FsBlobStore(dir).init();
}
