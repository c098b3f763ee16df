// The hostile import (an okh.toml beside 400 YAML tables of ~92 KB, each slow to try as a manifest) runs
// while a 10 ms timer probes the API's event loop (test/helpers/event-loop-probe.ts). On a shared, loaded 2-core
// machine a timer fires late on its own (50-190 ms in a quiet window here), so the wall-clock delay measures the
// machine more than the import. What the import holds the loop for is the CPU time the loop's own thread spends
// between two ticks: running code and garbage collection count, waiting for a core does not. The target is
// under 100 ms. Before PGlite statements waited for the loop's turn, inserts were batched and the zip moved to its
// thread (not copied), the import held it 29-70 ms at a time here (50-100 ms by the coarser 10 ms clock of
// /proc/thread-self/stat); now 10-30 ms. The wall-clock delay is bounded at 1 s (a stall on the loop, as before the
// detection thread, took over 60 s) and printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, formPayload, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { importForm, loshV1Toml, zip } from '../interop/fixtures.js';
import { probeEventLoop, threadCpuMs, watchEventLoop } from '../helpers/event-loop-probe.js';

/**
 * ~92 KB that YAML reads as a mapping, its values noise (as measurements are) so the 400 of them zip to ~16 MB like
 * the issue's: slow to try as a manifest and big to unzip.
 */
function dataFile(n: number): string {
  let x = n + 1;
  const noise = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 0).toString(36);
  const lines: string[] = [];
  for (let i = 0, size = 0; size < 92_000; i++) {
    const line = `key${n}x${i}: ${noise()}${noise()}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

/** The example as a multipart body: press/okh.toml beside 400 data tables, zipped (~17 MB). */
async function hostileImport() {
  const files: Record<string, string> = { 'press/okh.toml': loshV1Toml };
  for (let n = 0; n < 400; n++) files[`press/data/table-${n}.yaml`] = dataFile(n);
  return formPayload(importForm([{ name: 'project.zip', bytes: zip(files) }]));
}

describe('the event loop during a hostile import', () => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    ana = await registerUser(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the probe sees work that needs 150 ms of CPU on the loop, however loaded the machine', async () => {
    const start = threadCpuMs();
    if (start === undefined) return; // no per-thread CPU time here: the wall-clock bound below is all there is
    const probe = probeEventLoop();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // holds the loop as a parser on the main thread would: until it has had 150 ms of CPU, however long that takes
    while (threadCpuMs()! - start < 150);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const { worstDelayMs, worstHeldMs } = probe.stop();
    expect(worstDelayMs).toBeGreaterThanOrEqual(140);
    expect(worstHeldMs).toBeGreaterThanOrEqual(130);
  });

  it('is held less than 100 ms at a time while 401 files are imported', async () => {
    const { payload, headers } = await hostileImport();
    const {
      result: r,
      ms,
      worstDelayMs,
      worstHeldMs,
      worstHeldAtMs,
    } = await watchEventLoop(() =>
      t.app.inject({ method: 'POST', url: '/api/import', headers: { ...headers, ...ana.auth }, payload }),
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().designs[0].slug).toBe('ohloom');
    console.log(
      `[import event loop] ${(payload.length / 1048576).toFixed(1)} MB zip, 401 files: ${Math.round(ms)} ms; loop held ` +
        `at most ${worstHeldMs?.toFixed(1) ?? '?'} ms of CPU between two 10 ms ticks (at +${Math.round(worstHeldAtMs)} ms); ` +
        `worst timer delay ${worstDelayMs.toFixed(0)} ms`,
    );
    if (worstHeldMs !== undefined) expect(worstHeldMs).toBeLessThan(100);
    expect(worstDelayMs).toBeLessThan(1000);
  }, 120_000);
});
