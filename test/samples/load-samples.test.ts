// Every sample machine publishes through the publish code path and renders without a failed file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp } from '../helpers/app.js';
import { findSampleDesigns, loadSamples, samplesDir } from '../../server/src/samples/load-samples.js';

describe('sample machines (pglite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { runWorker: true, workerThreads: 1 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes every sample version with random passwords, then a second load changes nothing', async () => {
    const folders = findSampleDesigns(samplesDir);
    expect(folders.length).toBeGreaterThanOrEqual(9);
    const report = await loadSamples(t.deps, samplesDir);
    const expected = folders.flatMap((f) => f.versions.map((v) => `${f.owner}/${f.slug}@${v.version}`));
    expect(report.published.sort()).toEqual(expected.sort());
    expect(report.accounts.map((a) => a.handle)).toContain('ose');
    for (const a of report.accounts) expect(a.password.length).toBeGreaterThanOrEqual(16);
    expect(report.workshops).toBeGreaterThanOrEqual(5);
    expect(report.builds).toBeGreaterThanOrEqual(8);
    const again = await loadSamples(t.deps, samplesDir);
    expect(again.published).toEqual([]);
    expect(again.builds).toBe(0);
    const fork = (await t.app.inject({ url: '/api/designs/taller-gijon/brick-press-metric' })).json();
    expect(fork.forkedFrom).toBe('ose/brick-press@1.1.0');
    const ws = (await t.app.inject({ url: '/api/workshops' })).json();
    expect(new Set(ws.items.map((w: any) => w.place.country)).size).toBeGreaterThanOrEqual(5);
    const searched = (await t.app.inject({ url: '/api/designs?q=brick%20press&facets=true' })).json();
    expect(searched.items[0].slug).toMatch(/^brick-press/);
    expect(searched.facets.hasBuilds.yes).toBeGreaterThan(0);
    // sample accounts never take the instance's admin seat
    const me = await registerUser(t.app, 'firsthuman');
    expect((await t.app.inject({ url: '/api/me', headers: me.auth })).json().isAdmin).toBe(true);
  });

  it('renders every sample file without a failure', async () => {
    const t0 = Date.now();
    let pending = 1;
    let failed: any[] = [];
    while (pending && Date.now() - t0 < 240_000) {
      const { rows } = await t.deps.db.raw(`select path, state, error from files`);
      pending = rows.filter((r: any) => r.state === 'queued' || r.state === 'running').length;
      failed = rows.filter((r: any) => r.state === 'failed');
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(pending).toBe(0);
    expect(failed).toEqual([]);
    const v = (await t.app.inject({ url: '/api/designs/ose/brick-press/versions/latest' })).json();
    const glb = v.files.find((f: any) => f.path.endsWith('.glb'));
    expect(glb.facts.triangles).toBeGreaterThan(1000);
    expect(glb.previews.png).toContain('/previews/');
  }, 300_000);
});
