// Translation proposals (issue 30): anyone signed in proposes a translation of a version's README; a lead accepts
// it into a new patch version (the latest version's files carried, the translation added with front matter naming
// the README it was made from), so a translation of an older README lands stale; bad tags, the README's own language
// and yanked versions are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { databaseKinds } from '../helpers/databases.js';
import { eq } from 'drizzle-orm';
import { upsertMirroredDesign } from '../../server/src/registry/mirrors.js';
import { users } from '../../server/src/accounts/tables.js';
import {
  createDesign,
  createTestApp,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';

const sha = (b: string) => createHash('sha256').update(b).digest('hex');

const readme1 = '# Brick press\n\nBolt the frame.\nGrease the ram.\n';
const readme2 = '# Brick press\n\nBolt the frame with M12 bolts.\nGrease the ram.\n';
const es = '# Prensa de bloques\n\nAtornille el bastidor.\nEngrase el pistón.\n';
const ca = '# Premsa de blocs\n\nCargoleu el bastidor.\nGreixeu el pistó.\n';

describe.each(databaseKinds)('translation proposals on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    bob = await registerUser(t.app, 'bob');
    await createDesign(t.app, ana, 'press', { title: 'Earth block press' });
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: readme1 },
      { path: 'frame.txt', bytes: 'frame' },
    ]);
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const propose = (version: string, body: Record<string, unknown>, user = bob) =>
    t.app.inject({
      method: 'POST',
      url: `/api/designs/ana/press/versions/${version}/translations`,
      headers: user.auth,
      payload: body,
    });
  const accept = (id: string, user: TestUser, body: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/designs/ana/press/proposals/${id}/accept`,
      headers: user.auth,
      payload: body,
    });
  let esId = '';

  it('bob, not a lead, proposes a Spanish translation of 1.0.0: a proposal of kind translation', async () => {
    const r = await propose('1.0.0', { lang: 'ES', markdown: es, message: 'Para los talleres de Tucumán' });
    expect(r.statusCode, r.body).toBe(201);
    const p = r.json();
    expect(p).toMatchObject({
      kind: 'translation',
      design: 'ana/press',
      from: 'ana/press@1.0.0',
      author: 'bob',
      state: 'open',
      message: 'Para los talleres de Tucumán',
      translation: { lang: 'es', version: '1.0.0', path: 'README.es.md' },
    });
    esId = p.id;
    const text = await t.app.inject({ url: `/api/designs/ana/press/proposals/${esId}/translation` });
    expect(text.statusCode).toBe(200);
    expect(text.body).toBe(`---\ntranslation-of: ${sha(readme1)}\n---\n${es}`);
  });

  it('the leads see it in the list and as one proposal (no compare: it changes one file)', async () => {
    const list = (await t.app.inject({ url: '/api/designs/ana/press/proposals', headers: ana.auth })).json();
    expect(list.items).toEqual([expect.objectContaining({ id: esId, kind: 'translation' })]);
    const one = (await t.app.inject({ url: `/api/designs/ana/press/proposals/${esId}` })).json();
    expect(one).toMatchObject({ kind: 'translation', compare: null, comments: [] });
    const c = await t.app.inject({
      method: 'POST',
      url: `/api/designs/ana/press/proposals/${esId}/comments`,
      headers: ana.auth,
      payload: { body: '¡Gracias!' },
    });
    expect(c.statusCode).toBe(201);
  });

  it('bob cannot accept it (403); ana accepts it into 1.0.1, whose translations list it, not stale', async () => {
    expect((await accept(esId, bob)).statusCode).toBe(403);
    const r = await accept(esId, ana);
    expect(r.statusCode, r.body).toBe(201);
    const { proposal, version } = r.json();
    expect(proposal).toMatchObject({ state: 'accepted', acceptedVersion: 'ana/press@1.0.1', decidedBy: 'ana' });
    expect(version.version).toBe('1.0.1');
    expect(version.changelog).toBe('Spanish translation of the instructions, proposed by @bob');
    expect(version.translations).toEqual([
      expect.objectContaining({ lang: 'es', path: 'README.es.md', stale: false, follows: '1.0.1' }),
    ]);
    const paths = version.files.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['README.es.md', 'README.md', 'frame.txt']);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/designs/ana/press/proposals/${esId}/accept`,
      headers: { ...ana.auth, 'accept-language': 'ca' },
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    // the state worded in the reader's language, not the code
    expect(again.json().detail).toBe(
      'Aquesta proposta ja està acceptada; només es pot acceptar o rebutjar una proposta oberta',
    );
  });

  it('a translation of 1.0.0 accepted after 1.1.0 changed the README is stale in the version it lands in', async () => {
    const caProposal = await propose('1.0.0', { lang: 'ca', markdown: ca });
    expect(caProposal.statusCode, caProposal.body).toBe(201);
    expect(caProposal.json().message).toBe('Catalan translation of the instructions');
    const fd = await publish(t.app, ana, 'ana', 'press', { version: '1.1.0' }, [
      { path: 'README.md', bytes: readme2 },
      { path: 'frame.txt', bytes: 'frame' },
    ]);
    expect(fd.statusCode, fd.body).toBe(201);
    const r = await accept(caProposal.json().id, ana);
    expect(r.statusCode, r.body).toBe(201);
    const { version } = r.json();
    expect(version.version).toBe('1.1.1');
    expect(version.translations).toEqual([
      expect.objectContaining({
        lang: 'ca',
        path: 'README.ca.md',
        stale: true,
        // 1.0.1 carried the README of 1.0.0: the last version with the text it was made from
        follows: '1.0.1',
        changedIn: '1.1.0',
        source: expect.objectContaining({ sha256: sha(readme1) }),
      }),
    ]);
  });

  it('a bad tag or the README’s own language is refused with the field; an empty text too', async () => {
    const bad = await propose('1.1.0', { lang: 'not a tag!', markdown: es });
    expect(bad.statusCode).toBe(400);
    expect(isProblem(bad)).toBe(true);
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: '/lang' })]);
    const own = await propose('1.1.0', { lang: 'en-GB', markdown: es });
    expect(own.statusCode).toBe(201); // another English is another language
    const same = await propose('1.1.0', { lang: 'EN', markdown: es });
    expect(same.statusCode).toBe(400);
    expect(same.json().errors).toEqual([expect.objectContaining({ field: '/lang' })]);
    const empty = await propose('1.1.0', { lang: 'de', markdown: '---\ntranslation-of: x\n---\n  \n' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors).toEqual([expect.objectContaining({ field: '/markdown' })]);
    const signedOut = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/versions/1.1.0/translations',
      payload: { lang: 'de', markdown: es },
    });
    expect(signedOut.statusCode).toBe(401);
  });

  it('a fork’s proposal still needs the version number it becomes (400 naming /version)', async () => {
    const fork = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/forks',
      headers: bob.auth,
      payload: { version: '1.1.0', slug: 'press-fork' },
    });
    expect(fork.statusCode, fork.body).toBe(201);
    const p = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/proposals',
      headers: bob.auth,
      payload: { from: 'bob/press-fork@1.1.0', message: 'take this' },
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json().kind).toBe('fork');
    const r = await accept(p.json().id, ana);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().errors).toEqual([expect.objectContaining({ field: '/version' })]);
  });

  it('a design written in Spanish gets its default message and changelog in Spanish, whoever reads or clicks', async () => {
    await createDesign(t.app, ana, 'prensa', { title: 'Prensa de bloques' });
    const v = await publish(t.app, ana, 'ana', 'prensa', { version: '1.0.0', language: 'es' }, [
      { path: 'README.md', bytes: es },
    ]);
    expect(v.statusCode, v.body).toBe(201);
    const p = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/prensa/versions/1.0.0/translations',
      headers: { ...bob.auth, 'accept-language': 'ar' },
      payload: { lang: 'de', markdown: '# Blockpresse\n' },
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json().message).toBe('Traducción de las instrucciones al alemán');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/designs/ana/prensa/proposals/${p.json().id}/accept`,
      headers: { ...ana.auth, 'accept-language': 'ca' },
      payload: {},
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().version.changelog).toBe('Traducción de las instrucciones al alemán, propuesta por @bob');
  });

  it('a design in a language the instance has no catalogue for gets them in English', async () => {
    await createDesign(t.app, ana, 'prentsa', { title: 'Bloke prentsa' });
    const v = await publish(t.app, ana, 'ana', 'prentsa', { version: '1.0.0', language: 'eu' }, [
      { path: 'README.md', bytes: '# Bloke prentsa\n' },
    ]);
    expect(v.statusCode, v.body).toBe(201);
    const p = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/prentsa/versions/1.0.0/translations',
      headers: { ...bob.auth, 'accept-language': 'es' },
      payload: { lang: 'es', markdown: es },
    });
    expect(p.statusCode, p.body).toBe(201);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/designs/ana/prentsa/proposals/${p.json().id}/accept`,
      headers: { ...ana.auth, 'accept-language': 'es' },
      payload: {},
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().version.changelog).toBe('Spanish translation of the instructions, proposed by @bob');
  });

  it('a mirrored design refuses it with its home: translations are proposed where the design lives', async () => {
    const db = t.app.deps.db.db;
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.handle, 'ana'));
    const owner = { id: row.id, handle: 'ana' };
    await upsertMirroredDesign(
      db,
      { ...owner, isAdmin: false, scope: 'write' },
      {
        actorUri: 'https://far.example/ap/designs/kiln',
        url: 'https://far.example/ana/kiln',
        instance: 'far.example',
        slug: 'kiln',
        title: 'Kiln',
        summary: '',
        licenses: {},
        tags: [],
      },
      [],
    );
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/kiln/versions/1.0.0/translations',
      headers: bob.auth,
      payload: { lang: 'es', markdown: '# Horno' },
    });
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json().home).toBe('https://far.example/ana/kiln');
  });

  it('a proposal on a yanked version is 409', async () => {
    const y = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/versions/1.0.0/yank',
      headers: ana.auth,
    });
    expect(y.statusCode, y.body).toBeLessThan(300);
    const r = await propose('1.0.0', { lang: 'fr', markdown: '# Presse\n' });
    expect(r.statusCode, r.body).toBe(409);
    expect(isProblem(r)).toBe(true);
  });
});
