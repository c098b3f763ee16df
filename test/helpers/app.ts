// A real app on a cloned database and a temporary blob folder, plus small helpers to call it like a client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../server/src/app.js';
import { testConfig, type Config } from '../../server/src/config.js';
import { openRuntime, closeRuntime } from '../../server/src/runtime.js';
import type { PipelineOptions } from '../../server/src/pipeline/pipeline.js';
import { cloneTestDatabase, type DatabaseKind } from './databases.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { replyCheck, type ReplyViolation } from './reply-check.js';

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  /** replies that did not match their route's reply schema (see reply-check.ts); close() fails on any */
  replyViolations: ReplyViolation[];
  close(): Promise<void>;
}

export async function createTestApp(
  kind: DatabaseKind,
  overrides: Partial<Config> = {},
  pipeline: Partial<PipelineOptions> = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-app-'));
  const config = testConfig({ dataDir, ...overrides });
  return testAppOn(config, await cloneTestDatabase(kind), pipeline, () =>
    rmSync(dataDir, { recursive: true, force: true }),
  );
}

/**
 * A second API process beside `first`: its own app, blob store object, event bus and in-memory state, on the same
 * database and data folder — as two replicas behind a load balancer. PostgreSQL gets a connection pool of its own;
 * PGlite (one connection) is shared, its close left to `first`.
 */
export async function createSecondTestApp(first: TestApp, overrides: Partial<Config> = {}): Promise<TestApp> {
  const shared = first.deps.db;
  const database: Database = shared.url
    ? await openDatabase({ url: shared.url })
    : { ...shared, close: async () => undefined };
  return testAppOn(testConfig({ ...first.deps.config, ...overrides }), database);
}

/** The runtime and app on a database, every reply checked against its schema; `cleanUp` runs after the close. */
async function testAppOn(
  config: Config,
  database: Database,
  pipeline: Partial<PipelineOptions> = {},
  cleanUp: () => void = () => undefined,
): Promise<TestApp> {
  const deps = await openRuntime(config, database, { pollMs: 100, baseBackoffMs: 50, ...pipeline });
  deps.startup.done = true;
  const violations: ReplyViolation[] = [];
  const app = await buildApp(deps, { plugins: [replyCheck(violations)] });
  await app.ready();
  return {
    app,
    deps,
    replyViolations: violations,
    async close() {
      await app.close();
      await closeRuntime(deps);
      cleanUp();
      // the file's replies that broke their schemas fail it here (each reply was sent as it was, to keep going)
      if (violations.length)
        throw new Error(
          `replies that do not match their schema:\n${[...new Set(violations.map((v) => `${v.route} ${v.status}: ${v.problem}`))].join('\n')}`,
        );
    },
  };
}

export interface TestUser {
  handle: string;
  password: string;
  token: string;
  auth: { authorization: string };
}

export async function registerUser(
  app: FastifyInstance,
  handle = 'u' + randomBytes(4).toString('hex'),
): Promise<TestUser> {
  const password = 'pw-' + randomBytes(6).toString('hex');
  const r = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { handle, email: `${handle}@example.org`, password },
  });
  if (r.statusCode !== 201) throw new Error(`register ${handle}: ${r.statusCode} ${r.body}`);
  const token = r.json().token as string;
  return { handle, password, token, auth: { authorization: `Bearer ${token}` } };
}

export async function createDesign(
  app: FastifyInstance,
  user: TestUser,
  slug: string,
  extra: Record<string, unknown> = {},
) {
  const r = await app.inject({
    method: 'POST',
    url: '/api/designs',
    headers: user.auth,
    payload: { slug, title: `Design ${slug}`, ...extra },
  });
  if (r.statusCode !== 201) throw new Error(`create design ${slug}: ${r.statusCode} ${r.body}`);
  return r.json();
}

export interface UploadFile {
  path: string;
  bytes: Uint8Array | string;
}

/** A multipart publish body as a browser or the CLI sends it. */
export function publishForm(
  manifest: unknown,
  files: UploadFile[],
  bom?: { name: string; bytes: Uint8Array | string },
): FormData {
  const fd = new FormData();
  fd.append('manifest', typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  if (bom) fd.append('bom', new Blob([bom.bytes as BlobPart]), bom.name);
  for (const f of files) fd.append('files', new Blob([f.bytes as BlobPart]), f.path);
  return fd;
}

export async function formPayload(fd: FormData): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const res = new Response(fd);
  return {
    payload: Buffer.from(await res.arrayBuffer()),
    headers: { 'content-type': res.headers.get('content-type')! },
  };
}

export async function publish(
  app: FastifyInstance,
  user: TestUser,
  owner: string,
  slug: string,
  manifest: unknown,
  files: UploadFile[],
  bom?: { name: string; bytes: Uint8Array | string },
) {
  const { payload, headers } = await formPayload(publishForm(manifest, files, bom));
  return app.inject({
    method: 'POST',
    url: `/api/designs/${owner}/${slug}/versions`,
    headers: { ...headers, ...user.auth },
    payload,
  });
}

export const isProblem = (r: { headers: Record<string, unknown>; json(): any }) =>
  String(r.headers['content-type']).startsWith('application/problem+json') &&
  typeof r.json().status === 'number' &&
  typeof r.json().title === 'string';
