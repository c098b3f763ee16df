// The account's language: GET /api/locales lists the catalogues, PATCH /api/me keeps one (or null), GET /api/me says it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createTestApp, registerUser, type TestApp, type TestUser } from '../helpers/app.js';

describe.each(databaseKinds)('account locale (%s)', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
  });
  afterAll(() => t?.close());

  it('lists the languages with their own names and directions, English first', async () => {
    const r = await t.app.inject({ url: '/api/locales' });
    expect(r.statusCode).toBe(200);
    const { default: fallback, items } = r.json() as {
      default: string;
      items: { tag: string; name: string; dir: string }[];
    };
    expect(fallback).toBe('en');
    expect(items[0]).toEqual({ tag: 'en', name: 'English', dir: 'ltr' });
    const byTag = Object.fromEntries(items.map((i) => [i.tag, i]));
    for (const tag of ['es', 'ca', 'pt-BR', 'fr', 'de', 'ar']) expect(byTag[tag], tag).toBeDefined();
    expect(byTag.ca.name).toBe('Català');
    expect(byTag.ar.dir).toBe('rtl');
  });

  it('keeps the chosen language on the account, matching a bare language to its locale, and forgets it with null', async () => {
    expect((await t.app.inject({ url: '/api/me', headers: ana.auth })).json().locale).toBeNull();
    const set = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: ana.auth, payload: { locale: 'pt' } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ handle: 'ana', locale: 'pt-BR' });
    expect((await t.app.inject({ url: '/api/me', headers: ana.auth })).json().locale).toBe('pt-BR');
    const cleared = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: ana.auth,
      payload: { locale: null },
    });
    expect(cleared.json().locale).toBeNull();
  });

  it('refuses a language without a catalogue, naming the supported ones, and changes nothing', async () => {
    await t.app.inject({ method: 'PATCH', url: '/api/me', headers: ana.auth, payload: { locale: 'ca' } });
    const r = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: ana.auth, payload: { locale: 'tlh' } });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().errors[0]).toMatchObject({ field: '/locale' });
    expect(r.json().supported).toEqual(expect.arrayContaining(['en', 'es', 'ca']));
    expect((await t.app.inject({ url: '/api/me', headers: ana.auth })).json().locale).toBe('ca');
    const empty = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: ana.auth, payload: {} });
    expect(empty.statusCode).toBe(400);
  });
});
