// Translations of a version's instructions tied to the source they were made from (issue 30): README.<lang>.md
// files and the manifest's `translations`, carried unchanged across versions, stale when the README changes, fresh
// again when a translation names the new source in its front matter; the side-by-side changes of a stale one;
// search in Spanish; a fork keeps them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  isProblem,
  publish,
  publishForm,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';

const sha = (b: string) => createHash('sha256').update(b).digest('hex');

const readme1 = '# Brick press\n\nBolt the frame.\nGrease the ram.\n';
const readme2 = '# Brick press\n\nBolt the frame with M12 bolts.\nGrease the ram.\nCheck the pin.\n';
const es1 = '# Prensa de bloques\n\nAtornille el bastidor durante el montaje.\nEngrase el pistón.\n';
const fr1 = '# Presse\n\nBoulonnez le châssis.\n';

describe.each(databaseKinds)('translations of a version’s instructions on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
    await createDesign(t.app, ana, 'press', { title: 'Earth block press' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function publishCarrying(manifest: unknown, files: { path: string; bytes: string }[], carried: string[]) {
    const fd = publishForm(manifest, files);
    fd.append('existing', JSON.stringify(carried.map((path) => ({ path, sha256: sha(contents[path]) }))));
    const { payload, headers } = await formPayload(fd);
    return t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/versions',
      headers: { ...headers, ...ana.auth },
      payload,
    });
  }
  const contents: Record<string, string> = {
    'README.md': readme1,
    'README.es.md': es1,
    'docs/montage.md': fr1,
    'frame.txt': 'frame',
  };
  const version = async (v: string) => (await t.app.inject({ url: `/api/designs/ana/press/versions/${v}` })).json();
  const translation = (v: string, lang: string, headers: Record<string, string> = {}) =>
    t.app.inject({ url: `/api/designs/ana/press/versions/${v}/translations/${lang}`, headers });

  it('1.0.0: README.es.md and the manifest’s fr translation are made from its README, not stale', async () => {
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.0.0', translations: { fr: { readme: 'docs/montage.md' } } },
      [
        { path: 'README.md', bytes: readme1 },
        { path: 'README.es.md', bytes: es1 },
        { path: 'docs/montage.md', bytes: fr1 },
        { path: 'frame.txt', bytes: 'frame' },
      ],
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().translations).toEqual([
      {
        lang: 'es',
        path: 'README.es.md',
        sha256: sha(es1),
        source: { path: 'README.md', sha256: sha(readme1), lang: 'en' },
        stale: false,
        follows: '1.0.0',
        changedIn: null,
      },
      expect.objectContaining({ lang: 'fr', path: 'docs/montage.md', stale: false, follows: '1.0.0' }),
    ]);
    const es = (await translation('1.0.0', 'es')).json();
    expect(es).toMatchObject({ lang: 'es', stale: false, markdown: es1 });
    expect(es.sourceChanges).toBeUndefined();
  });

  it('1.1.0 changes the README and carries the translations: stale, following 1.0.0, the change side by side', async () => {
    contents['README.md'] = readme2;
    const r = await publishCarrying(
      { version: '1.1.0', translations: { fr: { readme: 'docs/montage.md' } } },
      [{ path: 'README.md', bytes: readme2 }],
      ['README.es.md', 'docs/montage.md', 'frame.txt'],
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().translations).toEqual([
      expect.objectContaining({
        lang: 'es',
        stale: true,
        follows: '1.0.0',
        changedIn: '1.1.0',
        source: expect.objectContaining({ sha256: sha(readme1) }),
      }),
      expect.objectContaining({ lang: 'fr', stale: true, follows: '1.0.0', changedIn: '1.1.0' }),
    ]);
    const es = (await translation('1.1.0', 'es')).json();
    expect(es.sourceChanges).toMatchObject({ from: '1.0.0', to: '1.1.0' });
    expect(es.sourceChanges.rows).toEqual([
      { kind: 'same', before: '# Brick press', after: '# Brick press' },
      { kind: 'same', before: '', after: '' },
      { kind: 'changed', before: 'Bolt the frame.', after: 'Bolt the frame with M12 bolts.' },
      { kind: 'same', before: 'Grease the ram.', after: 'Grease the ram.' },
      { kind: 'added', after: 'Check the pin.' },
    ]);
    // the older version's translation is as it was
    expect((await version('1.0.0')).translations[0].stale).toBe(false);
  });

  it('1.2.0 keeps the README of 1.1.0 and the old translation: still stale, still following 1.0.0', async () => {
    const r = await publishCarrying({ version: '1.2.0' }, [], ['README.md', 'README.es.md', 'frame.txt']);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().translations).toEqual([
      expect.objectContaining({ lang: 'es', stale: true, follows: '1.0.0', changedIn: '1.1.0' }),
    ]);
  });

  it('1.3.0: a refreshed translation naming the README of 1.1.0 and 1.2.0 in its front matter is current; its text has no front matter', async () => {
    const refreshed = `---\ntranslation-of: ${sha(readme2)}\n---\n# Prensa\n\nAtornille el bastidor con pernos M12.\nRevise el pasador.\n`;
    const r = await publishCarrying(
      { version: '1.3.0' },
      [{ path: 'README.es.md', bytes: refreshed }],
      ['README.md', 'frame.txt'],
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().translations).toEqual([
      expect.objectContaining({
        lang: 'es',
        stale: false,
        follows: '1.3.0',
        changedIn: null,
        source: expect.objectContaining({ sha256: sha(readme2) }),
      }),
    ]);
    const es = (await translation('1.3.0', 'es')).json();
    expect(es.markdown.startsWith('# Prensa')).toBe(true);
  });

  it('search finds the design by words only its Spanish instructions have', async () => {
    const hits = (await t.app.inject({ url: `/api/designs?q=${encodeURIComponent('pasador pernos')}` })).json();
    expect(hits.items.map((i: any) => i.slug)).toEqual(['press']);
  });

  it('a missing translation is a 404 in the reader’s language; a manifest naming a missing file is refused with its field', async () => {
    const none = await translation('1.3.0', 'de', { 'accept-language': 'es' });
    expect(none.statusCode).toBe(404);
    expect(isProblem(none)).toBe(true);
    expect(none.json().detail).toBe('La versión 1.3.0 no tiene traducción de sus instrucciones al de');
    const bad = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.4.0', translations: { ca: { readme: 'docs/muntatge.md' } } },
      [{ path: 'README.md', bytes: readme2 }],
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({
      field: '/manifest/translations/ca/readme',
      value: 'docs/muntatge.md',
    });
    const badTag = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.4.0', translations: { 'not a tag': { readme: 'README.md' } } },
      [{ path: 'README.md', bytes: readme2 }],
    );
    expect(badTag.statusCode).toBe(400);
  });

  it('a fork of 1.1.0 keeps its translations and their staleness', async () => {
    const forked = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/forks',
      headers: ben.auth,
      payload: { version: '1.1.0', slug: 'press-fork' },
    });
    expect(forked.statusCode, forked.body).toBe(201);
    const v = (await t.app.inject({ url: '/api/designs/ben/press-fork/versions/1.1.0' })).json();
    expect(v.translations.map((x: any) => [x.lang, x.stale])).toEqual([
      ['es', true],
      ['fr', true],
    ]);
  });
});
