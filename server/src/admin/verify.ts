// verify: re-hashes every stored blob and checks every referenced blob exists; any finding means a non-zero exit.
import { createHash } from 'node:crypto';
import type { Database } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { blobReferenceColumns, referencedBlobs } from '../db/blob-references.js';
import { uploadHolds } from '../registry/tables.js';

export interface VerifyReport {
  checked: number;
  bytes: number;
  /** stored under a name that is not the sha256 of its bytes */
  mismatches: { sha256: string; actual: string }[];
  /** referenced by a row but absent from the store */
  missing: string[];
}

export async function verifyBlobs(
  db: Database,
  store: BlobStore,
  onProgress?: (checked: number) => void,
): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, bytes: 0, mismatches: [], missing: [] };
  const present = new Set<string>();
  for await (const sha256 of store.list()) {
    present.add(sha256);
    const hash = createHash('sha256');
    for await (const chunk of await store.get(sha256)) {
      hash.update(chunk as Buffer);
      report.bytes += (chunk as Buffer).length;
    }
    const actual = hash.digest('hex');
    if (actual !== sha256) report.mismatches.push({ sha256, actual });
    onProgress?.(++report.checked);
  }
  // an upload holds a blob just before writing it: not missing, only not there yet
  const holds = getTableConfig(uploadHolds).name;
  const published = blobReferenceColumns().filter((c) => c.table !== holds);
  for (const sha256 of await referencedBlobs(db, published)) if (!present.has(sha256)) report.missing.push(sha256);
  report.missing.sort();
  return report;
}

export const verifyFailed = (r: VerifyReport) => r.mismatches.length > 0 || r.missing.length > 0;
