// Problem documents in the caller's language (issue 30): `type` never changes, `title` and `detail` follow
// Accept-Language for the supported locales (English without it or for any other), the reply says which
// (Content-Language) and that it depends on it (Vary); the CLI asks in its user's language (LANG and the like).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { databaseKinds } from '../helpers/databases.js';
import { createTestApp, isProblem, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { ApiClient } from '../../server/src/cli/client.js';
import { userLanguage } from '../../server/src/cli/config.js';
import { CliError } from '../../server/src/cli/output.js';

type Reply = Awaited<ReturnType<TestApp['app']['inject']>>;

function expectProblem(r: Reply, status: number, type: string, language: string) {
  expect(r.statusCode, r.body).toBe(status);
  expect(isProblem(r)).toBe(true);
  expect(r.json().type).toBe(`https://andecha.org/problems/${type}`);
  expect(r.headers['content-language']).toBe(language);
  expect(String(r.headers.vary).toLowerCase()).toContain('accept-language');
  return r.json() as { title: string; detail: string; errors?: { field: string; message: string }[] };
}

describe.each(databaseKinds)('problem documents in the caller’s language (%s)', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
  });
  afterAll(() => t?.close());

  const missingDesign = (language?: string) =>
    t.app.inject({
      url: '/api/designs/nobody/nothing',
      headers: language ? { 'accept-language': language } : {},
    });

  it('a 404: English without Accept-Language and for a language without a catalogue, byte for byte as before', async () => {
    for (const language of [undefined, 'ja-JP, ko;q=0.8']) {
      const p = expectProblem(await missingDesign(language), 404, 'not-found', 'en');
      expect(p.title).toBe('Not found');
      expect(p.detail).toBe('Design nobody/nothing was not found');
    }
  });

  it('a 404 in Spanish and in German: title and detail translated, type unchanged', async () => {
    const es = expectProblem(await missingDesign('es-ES,es;q=0.9,en;q=0.5'), 404, 'not-found', 'es');
    expect(es.title).toBe('No encontrado');
    expect(es.detail).toBe('No se ha encontrado el diseño nobody/nothing');
    const de = expectProblem(await missingDesign('de'), 404, 'not-found', 'de');
    expect(de.title).toBe('Nicht gefunden');
    expect(de.detail).toBe('Der Entwurf nobody/nothing wurde nicht gefunden');
    // no route at all: the not-found handler answers the same way
    const route = expectProblem(
      await t.app.inject({ url: '/api/nowhere', headers: { 'accept-language': 'es' } }),
      404,
      'not-found',
      'es',
    );
    expect(route.detail).toBe('No existe la ruta GET /api/nowhere');
  });

  it('a 401 in English, Spanish and German', async () => {
    const ask = (language?: string) =>
      t.app.inject({ url: '/api/me', headers: language ? { 'accept-language': language } : {} });
    const en = expectProblem(await ask(), 401, 'unauthenticated', 'en');
    expect(en).toMatchObject({ title: 'Sign in first', detail: 'This needs an Authorization: Bearer token' });
    const es = expectProblem(await ask('es'), 401, 'unauthenticated', 'es');
    expect(es).toMatchObject({
      title: 'Inicia sesión primero',
      detail: 'Esto necesita un token en Authorization: Bearer',
    });
    const de = expectProblem(await ask('de-AT'), 401, 'unauthenticated', 'de');
    expect(de.title).toBe('Melde dich zuerst an');
    // a dead token: the RFC 6750 header stays, the words change
    const dead = await t.app.inject({
      url: '/api/me',
      headers: { authorization: 'Bearer nope', 'accept-language': 'de' },
    });
    expect(dead.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(expectProblem(dead, 401, 'unauthenticated', 'de').detail).toBe(
      'Das Bearer-Token ist ungültig, abgelaufen oder widerrufen',
    );
  });

  it('a validation 400: Ajv’s messages in English as before, translated per field in Spanish and German', async () => {
    const register = (language?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        headers: language ? { 'accept-language': language } : {},
        payload: { handle: 'bea', email: 'bea@example.org', password: 'long enough password', color: 'red' },
      });
    const en = expectProblem(await register(), 400, 'validation', 'en');
    expect(en.title).toBe('The request did not pass validation');
    expect(en.errors).toEqual([{ field: '/color', message: 'is not an allowed field' }]);
    expect(en.detail).toBe('/color is not an allowed field');
    const es = expectProblem(await register('es'), 400, 'validation', 'es');
    expect(es.title).toBe('La solicitud no ha superado la validación');
    expect(es.errors).toEqual([{ field: '/color', message: 'no es un campo permitido' }]);
    expect(es.detail).toBe('/color no es un campo permitido');
    const de = expectProblem(await register('de'), 400, 'validation', 'de');
    expect(de.detail).toBe('/color ist kein erlaubtes Feld');

    const missing = (language?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        headers: language ? { 'accept-language': language } : {},
        payload: { email: 'bea@example.org', password: 'long enough password' },
      });
    expect(expectProblem(await missing(), 400, 'validation', 'en').detail).toBe(
      "/handle must have required property 'handle'",
    );
    expect(expectProblem(await missing('es'), 400, 'validation', 'es').detail).toBe(
      '/handle debe tener la propiedad obligatoria «handle»',
    );
  });

  it('a converted detail with values: a handle already registered, in English, Spanish and German', async () => {
    const again = (language?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        headers: language ? { 'accept-language': language } : {},
        payload: { handle: 'ana', email: 'other@example.org', password: 'long enough password' },
      });
    const en = expectProblem(await again(), 409, 'taken', 'en');
    expect(en).toMatchObject({ title: 'Already taken', detail: 'This handle is already registered' });
    expect(en.errors).toEqual([{ field: '/handle', message: 'is already taken' }]);
    const es = expectProblem(await again('es'), 409, 'taken', 'es');
    expect(es).toMatchObject({ title: 'Ya está en uso', detail: 'Este nombre de usuario ya está registrado' });
    expect(es.errors).toEqual([{ field: '/handle', message: 'ya está en uso' }]);
    const de = expectProblem(await again('de'), 409, 'taken', 'de');
    expect(de).toMatchObject({ title: 'Bereits vergeben', detail: 'Dieser Benutzername ist bereits registriert' });
  });

  it('the CLI asks in its user’s language: a problem comes back in Spanish for LANG=es_ES.UTF-8', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const client = new ApiClient(url, ana.token, userLanguage({ LANG: 'es_ES.UTF-8' }) ?? null);
    const err = await client.json('GET', '/api/designs/nobody/nothing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toContain('No se ha encontrado el diseño nobody/nothing');
    const english = await new ApiClient(url, ana.token, userLanguage({ LANG: 'C.UTF-8' }) ?? null)
      .json('GET', '/api/designs/nobody/nothing')
      .catch((e: unknown) => e);
    expect((english as Error).message).toContain('Design nobody/nothing was not found');
  });
});

describe('the CLI’s language from the POSIX locale', () => {
  it('takes LC_ALL, then LC_MESSAGES, then LANG, as a BCP 47 tag; none for C or POSIX', () => {
    expect(userLanguage({ LANG: 'es_ES.UTF-8' }) ?? null).toBe('es-ES');
    expect(userLanguage({ LANG: 'pt_BR' })).toBe('pt-BR');
    expect(userLanguage({ LANG: 'de_DE.UTF-8@euro' })).toBe('de-DE');
    expect(userLanguage({ LANG: 'fr' })).toBe('fr');
    expect(userLanguage({ LC_ALL: 'ca_ES.UTF-8', LC_MESSAGES: 'de_DE', LANG: 'es_ES' })).toBe('ca-ES');
    expect(userLanguage({ LC_MESSAGES: 'de_DE.UTF-8', LANG: 'es_ES' })).toBe('de-DE');
    expect(userLanguage({ LC_ALL: '', LANG: 'ar_EG.UTF-8' })).toBe('ar-EG');
    expect(userLanguage({ LANG: 'C' })).toBeUndefined();
    expect(userLanguage({ LANG: 'C.UTF-8' })).toBeUndefined();
    expect(userLanguage({ LC_ALL: 'POSIX', LANG: 'es_ES.UTF-8' })).toBeUndefined();
    expect(userLanguage({})).toBeUndefined();
  });

  it('sends it as Accept-Language on every request, and none when there is none', async () => {
    const { createServer } = await import('node:http');
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers['accept-language']);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await new ApiClient(url, undefined, 'es-ES').json('GET', '/api/me');
      await new ApiClient(url, undefined, null).json('GET', '/api/me');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    // with none, fetch sends its own default (*): the server answers in English
    expect(seen[0]).toBe('es-ES');
    expect([undefined, '*']).toContain(seen[1]);
  });
});
