// Every problem detail follows Accept-Language (issue 30): a static scan of server/src fails when a problem is made
// with plain English text (a string or template literal as the detail of new AppError, notFound, forbidden…), and
// problems of federation, moderation and the build packet come back in Spanish, English unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';

const serverDir = new URL('../../server/src', import.meta.url).pathname;

/** A text written out in the code: '…', `…`, `…${x}…`, 'a' + b, c ? 'a' : msg(…). */
function isWrittenText(node: ts.Node): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))
    return true;
  if (ts.isParenthesizedExpression(node)) return isWrittenText(node.expression);
  if (ts.isConditionalExpression(node)) return isWrittenText(node.whenTrue) || isWrittenText(node.whenFalse);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return isWrittenText(node.left) || isWrittenText(node.right);
  return false;
}

/** `file:line: call` for each problem whose detail is written-out text. */
function plainDetails(): string[] {
  const found: string[] = [];
  const files = readdirSync(serverDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(serverDir, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      let detail: ts.Node | undefined;
      // new AppError(code, detail, …)
      if (ts.isNewExpression(node) && node.expression.getText(source) === 'AppError') detail = node.arguments?.[1];
      // notFound(detail), forbidden(detail), multipartParts(req, detail) and the like
      if (ts.isCallExpression(node)) {
        const callee = node.expression.getText(source);
        if (/^(notFound|forbidden|conflict)$/.test(callee)) detail = node.arguments[0];
        if (callee === 'multipartParts') detail = node.arguments[1];
      }
      if (detail && isWrittenText(detail)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${file}:${line + 1}: ${node.getText(source).replace(/\s+/g, ' ').slice(0, 120)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('problem details in server/src', () => {
  it('are messages of the problems catalogue (msg(key, values)), never English text written in the code', () => {
    expect(plainDetails(), 'write the detail as msg(…) with its key in locales/<tag>.json’s problems').toEqual([]);
  });

  it('the scan catches a plain detail', () => {
    const sample = ts.createSourceFile(
      'x.ts',
      "throw new AppError('conflict', `Version ${v} is yanked`); throw notFound('Job 1');",
      ts.ScriptTarget.Latest,
      true,
    );
    const calls: ts.Node[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n)) calls.push(n.arguments![1]!);
      if (ts.isCallExpression(n)) calls.push(n.arguments[0]!);
      ts.forEachChild(n, visit);
    };
    visit(sample);
    expect(calls.map(isWrittenText)).toEqual([true, true]);
  });
});

type Reply = Awaited<ReturnType<TestApp['app']['inject']>>;
function problem(r: Reply, status: number, type: string, language: string) {
  expect(r.statusCode, r.body).toBe(status);
  expect(isProblem(r)).toBe(true);
  expect(r.json().type).toBe(`https://andecha.org/problems/${type}`);
  expect(r.headers['content-language']).toBe(language);
  return r.json() as { title: string; detail: string; errors?: { field: string; message: string }[] };
}

describe.each(databaseKinds)('federation, moderation and packet problems in the caller’s language (%s)', (kind) => {
  let t: TestApp;
  let bea: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind, { federation: true });
    const ana = await registerUser(t.app, 'ana'); // the first account: an admin
    bea = await registerUser(t.app, 'bea');
    await createDesign(t.app, ana, 'press');
    const r = await publish(t.app, ana, 'ana', 'press', { name: 'Press', version: '1.0.0' }, [
      { path: 'README.md', bytes: '# Press\n' },
    ]);
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(() => t?.close());

  const as = (user: TestUser, language?: string) => ({
    ...user.auth,
    ...(language ? { 'accept-language': language } : {}),
  });

  it('following: a target that is no address, in English and Spanish, the field error translated too', async () => {
    const follow = (language?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/federation/follows',
        headers: as(bea, language),
        payload: { target: 'not an address' },
      });
    const en = problem(await follow(), 422, 'unprocessable', 'en');
    expect(en.detail).toBe(
      'not an address could not be looked up: it is neither a web address nor a handle like ana~press@host',
    );
    const es = problem(await follow('es-ES'), 422, 'unprocessable', 'es');
    expect(es.detail).toBe(
      'No se ha podido consultar not an address: no es ni una dirección web ni un identificador como ana~press@host',
    );
    expect(es.errors).toEqual([
      { field: '/target', message: 'no es ni una dirección web ni un identificador como ana~press@host' },
    ]);
  });

  it('federation routes: an unknown follow (404) and the outbox for a non-admin (403), in Spanish', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const gone = await t.app.inject({ method: 'DELETE', url: `/api/federation/follows/${id}`, headers: as(bea, 'es') });
    expect(problem(gone, 404, 'not-found', 'es').detail).toBe(`No se ha encontrado el seguimiento ${id}`);
    const outbox = await t.app.inject({ url: '/api/federation/outbox', headers: as(bea, 'es') });
    expect(problem(outbox, 403, 'forbidden', 'es').detail).toBe(
      'Solo los administradores de esta instancia ven y reintentan su bandeja de salida',
    );
    const english = await t.app.inject({ url: '/api/federation/outbox', headers: as(bea) });
    expect(problem(english, 403, 'forbidden', 'en').detail).toBe(
      "Only this instance's admins see and retry its outbox",
    );
  });

  it('moderation: the queue for a non-admin, in English, Spanish and German', async () => {
    const queue = (language?: string) => t.app.inject({ url: '/api/admin/reports', headers: as(bea, language) });
    expect(problem(await queue(), 403, 'forbidden', 'en').detail).toBe(
      'Only admins of this instance work the moderation queue',
    );
    const es = problem(await queue('es'), 403, 'forbidden', 'es');
    expect(es).toMatchObject({
      title: 'No tienes permiso para hacer esto',
      detail: 'Solo los administradores de esta instancia gestionan la cola de moderación',
    });
    expect(problem(await queue('de'), 403, 'forbidden', 'de').detail).toBe(
      'Nur die Administratoren dieser Instanz bearbeiten die Moderationswarteschlange',
    );
  });

  it('the build packet: an unsupported lang, in Spanish with the field error, English as before', async () => {
    const url = '/api/designs/ana/press/versions/1.0.0/packet.pdf?lang=xx';
    const en = await t.app.inject({ url });
    const es = await t.app.inject({ url, headers: { 'accept-language': 'es' } });
    if (en.statusCode === 503) {
      // a server without the pipeline says so before it reads the options
      expect(problem(es, 503, 'unavailable', 'es').detail).toBe(
        'Este servidor no genera paquetes de construcción: funciona sin el canal de procesamiento',
      );
      return;
    }
    expect(problem(en, 400, 'validation', 'en').detail).toMatch(
      /^lang "xx" is not a language of the build packet: use one of .*pt-BR/,
    );
    const p = problem(es, 400, 'validation', 'es');
    expect(p.detail).toMatch(/^lang «xx» no es un idioma del paquete de construcción: usa uno de estos: .*pt-BR/);
    expect(p.errors?.[0]?.message).toMatch(/^debe ser uno de estos: /);
  });
});
