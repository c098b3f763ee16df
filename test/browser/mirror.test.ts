// The page of a mirrored design: "mirrored from HOST" with a link home, the state of the version's copy, the files
// served from the copy, and no edit or publish controls. The origin here is a plain HTTP server holding the files.
import http from 'node:http';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';
import { cubeStl } from '../helpers/meshes.js';
import { createDesign, registerUser } from '../helpers/app.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.skipIf(!haveChromium)('a mirrored design page (Chromium)', () => {
  let session: BrowserSession;
  let origin: http.Server;
  let home: string;
  const files: Record<string, Buffer> = {
    '/files/frame.stl': cubeStl(10),
    '/files/README.md': Buffer.from('# Brick press\n\nPresses earth bricks by hand.\n'),
  };

  beforeAll(async () => {
    origin = http.createServer((req, res) => {
      const body = files[req.url!];
      if (!body) return res.writeHead(404).end();
      res.end(body);
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    home = `127.0.0.1:${(origin.address() as { port: number }).port}`;
    session = await openBrowserSession({ federationAllowPrivate: true });
  });
  afterAll(async () => {
    await session?.close();
    origin?.closeAllConnections();
    await new Promise((r) => origin?.close(r));
  });

  it('says where the design lives, shows its copy and offers no edit or publish', async () => {
    const { t, page, base } = session;
    const actor = `http://${home}/ana/brick-press`;
    await t.deps.mirror.design({
      actorUri: actor,
      url: actor,
      instance: home,
      owner: 'ana',
      slug: 'brick-press',
      title: 'Brick press',
      summary: 'Presses earth bricks',
      license: 'CERN-OHL-S-2.0',
      tags: ['earth'],
    });
    await t.deps.mirror.version(actor, {
      objectUri: `${actor}/1.0.0`,
      url: `${actor}/1.0.0`,
      version: '1.0.0',
      publishedAt: '2026-11-01T10:00:00.000Z',
      manifest: { version: '1.0.0', readme: 'README.md' },
      files: Object.entries(files).map(([path, bytes]) => ({
        path: path.slice('/files/'.length),
        size: bytes.length,
        sha256: sha(bytes),
        mediaType: 'application/octet-stream',
        url: `http://${home}${path}`,
      })),
    });
    const ref = `/api/designs/ana@${home}/brick-press`;
    await expect
      .poll(async () => (await t.app.inject({ url: ref })).json().mirror?.versions?.[0]?.state, { timeout: 30_000 })
      .toBe('complete');

    await page.goto(`${base}/ana@${home}/brick-press`);
    const notice = page.getByRole('note', { name: 'Mirrored design' });
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toContain(`Mirrored from ${home}`);
    expect(await notice.getByRole('link', { name: home }).getAttribute('href')).toBe(actor);
    await expect.poll(() => notice.textContent()).toContain('Version 1.0.0: copied and verified');
    await expect.poll(() => page.getByText('frame.stl').first().count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Edit design' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'New version' }).count()).toBe(0);
    await session.shot('mirrored-design');
    await session.expectAccessible(page, 'mirrored design page');
  }, 90_000);

  it('marks mirrored designs on explore with their home, and filters by home instance', async () => {
    const { t, page, base } = session;
    const local = await registerUser(t.app);
    await createDesign(t.app, local, 'brick-mould', { title: 'Brick mould' });
    await page.goto(`${base}/?q=brick`);
    const card = page.locator('.design-card', { hasText: 'Brick press' });
    await expect
      .poll(() => card.locator('.design-card-home').textContent(), { timeout: 15_000 })
      .toBe(`mirrored from ${home}`);
    expect(await page.locator('.design-card', { hasText: 'Brick mould' }).locator('.design-card-home').count()).toBe(0);
    const facets = page.getByRole('complementary', { name: 'Filters' });
    await expect.poll(() => facets.textContent()).toContain('Home instance');
    // the checkbox is drawn by its label (the input itself is visually hidden), as people click it
    await facets.locator(`label[for="facet-instance-${home.replace(/[^a-zA-Z0-9_-]/g, '_')}"]`).click();
    await expect.poll(() => page.locator('.design-card').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('instance')).toBe(home);
    // the chosen home stays on screen (checked), so it can be taken off again
    await expect.poll(() => facets.textContent()).toContain('Home instance');
    await session.shot('explore-mirrors');
  }, 60_000);
});
