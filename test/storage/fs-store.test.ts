// The fs blob store against the shared behaviour suite.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '../../server/src/storage/fs-store.js';
import { blobStoreBehaviour } from './blob-store.behaviour.js';

blobStoreBehaviour('fs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'andecha-fs-'));
  const store = await new FsBlobStore(dir).init();
  return {
    store,
    leftovers: async () => readdirSync(join(dir, 'tmp')),
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
