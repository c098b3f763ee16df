// A PGlite folder that will not open (a kill on a full disk leaves it so) must say where, why and what to do —
// PGlite alone says "Aborted()" or "failed to initialize properly".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/client.js';

describe('opening a damaged embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-damaged-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('names the folder, the free space and the way back, keeping PGlite’s error as the cause', async () => {
    const db = await openDatabase({ dataDir });
    await db.close();
    // the control file is the first thing PGlite reads: garbage there fails the open as a torn write would
    writeFileSync(join(dataDir, 'pglite', 'global', 'pg_control'), Buffer.alloc(8192, 7));
    const err = await openDatabase({ dataDir }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain(`The embedded database in ${join(dataDir, 'pglite')} could not be opened`);
    expect(err!.message).toMatch(/Free space there: \d+ MB/);
    expect(err!.message).toContain('Backup and restore');
    expect(err!.cause).toBeInstanceOf(Error);
  }, 60_000);
});
