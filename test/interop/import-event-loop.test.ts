// An import never holds the event loop: its manifest is recognised in a detection thread, the shallowest files and
// likely names first, within a time budget; the API keeps answering meanwhile.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, formPayload, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { importForm, loshV1Toml, zip } from './fixtures.js';

/** ~40 KB that YAML reads as a mapping: a few hundred milliseconds to parse on this machine. */
const dataFile = (n: number) => {
  const lines: string[] = [];
  for (let i = 0, size = 0; size < 40_000; i++) {
    const line = `key${n}x${i}: value ${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
};

describe('manifest detection and the event loop', () => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp('pglite', { importDetectMs: 3000 });
    ana = await registerUser(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Posts an import while a histogram records the event loop's delay; returns the reply and the worst delay. */
  async function importWatched(files: Record<string, string>) {
    const { payload, headers } = await formPayload(importForm([{ name: 'project.zip', bytes: zip(files) }]));
    const lag = monitorEventLoopDelay({ resolution: 10 });
    let healthz = 0;
    const probe = setInterval(
      () => void t.app.inject({ url: '/healthz' }).then((r) => (healthz += r.statusCode === 200 ? 1 : 0)),
      50,
    );
    lag.enable();
    const started = Date.now();
    const r = await t.app.inject({ method: 'POST', url: '/api/import', headers: { ...headers, ...ana.auth }, payload });
    const ms = Date.now() - started;
    lag.disable();
    clearInterval(probe);
    return { r, maxLagMs: lag.max / 1e6, ms, healthz };
  }

  it('finds the okh.toml beside 400 data files of 40 KB without a 100 ms stall', async () => {
    const files: Record<string, string> = { 'press/okh.toml': loshV1Toml };
    for (let n = 0; n < 400; n++) files[`press/data/table-${n}.yaml`] = dataFile(n);
    const { r, maxLagMs, ms, healthz } = await importWatched(files);
    console.log(`import of 400 data files: ${ms} ms, worst event-loop delay ${maxLagMs.toFixed(1)} ms`);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().designs[0].slug).toBe('ohloom');
    expect(maxLagMs).toBeLessThan(100);
    expect(healthz).toBeGreaterThan(0);
  }, 120_000);

  it('stops looking when the budget is spent: a manifest found by then is used, the API never stalls', async () => {
    // every file at the top: all are candidates at the shallowest depth; okh.toml, a likely name, is tried first
    const files: Record<string, string> = { 'okh.toml': loshV1Toml };
    for (let n = 0; n < 100; n++) files[`table-${n}.yaml`] = dataFile(n);
    const { r, maxLagMs, ms } = await importWatched(files);
    console.log(`import with 100 candidates at the top: ${ms} ms, worst event-loop delay ${maxLagMs.toFixed(1)} ms`);
    expect(r.statusCode, r.body).toBe(201);
    expect(ms).toBeLessThan(10_000);
    expect(maxLagMs).toBeLessThan(100);
  }, 120_000);

  it('answers 422 saying so when no manifest is recognised within the budget', async () => {
    const files: Record<string, string> = {};
    for (let n = 0; n < 100; n++) files[`table-${n}.yaml`] = dataFile(n);
    const { r, maxLagMs } = await importWatched(files);
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toMatch(/No manifest was recognised within the import's 3 s/);
    expect(maxLagMs).toBeLessThan(100);
  }, 120_000);
});
