// `npm start` rebuilds the web app when a source is newer than web/dist (prestart → scripts/build-web.mjs), and only
// then: the check is the one the test run and `npm install` make.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script beside build-web.mjs, without type declarations
import { staleWebSource } from '../../scripts/web-build-state.mjs';

const root = mkdtempSync(join(tmpdir(), 'andecha-web-build-'));
const put = (path: string, secondsAgo: number) => {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, path);
  const at = Date.now() / 1000 - secondsAgo;
  utimesSync(file, at, at);
  // a folder's own time changes when an entry is added: only the files' times are meant here
  for (let dir = dirname(file); dir !== root; dir = dirname(dir)) utimesSync(dir, 0, 0);
};

describe('the web build before npm start', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs scripts/build-web.mjs before npm start', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.prestart).toBe('node scripts/build-web.mjs');
  });

  it('builds when web/dist was never built or a source changed since, and not otherwise', () => {
    put('web/src/main.tsx', 300);
    put('schemas/design.schema.json', 300);
    expect(staleWebSource(root)).toBe('web/dist');
    put('web/dist/index.html', 200);
    expect(staleWebSource(root)).toBeUndefined();
    put('web/src/pages/ExplorePage.tsx', 100);
    expect(staleWebSource(root)).toBe('web/src');
    put('web/dist/index.html', 50);
    put('schemas/bom-line.schema.json', 10);
    expect(staleWebSource(root)).toBe('schemas');
  });
});
