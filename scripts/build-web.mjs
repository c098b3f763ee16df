#!/usr/bin/env node
// Builds the web app (web/ → web/dist) with Vite's JS API, only when a source is newer than the last build.
// Run from postinstall: a production install without devDependencies (no vite) warns and exits 0.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'web', 'dist');
const marker = join(dist, 'index.html');
const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'schemas'].map((path) =>
  join(root, path),
);

/** Newest modification time under a file or folder (0 when it does not exist). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const force = process.argv.includes('--force');
if (!force && existsSync(marker)) {
  const built = statSync(marker).mtimeMs;
  const changed = sources.find((path) => newestMtime(path) > built);
  if (!changed) {
    console.log('web: web/dist is up to date, skipping the build');
    process.exit(0);
  }
  console.log(`web: ${relative(root, changed)} changed since the last build`);
}

let vite;
try {
  vite = await import('vite');
} catch {
  console.warn('web: vite is not installed (production install without devDependencies?); web/dist not rebuilt');
  process.exit(0);
}

const started = Date.now();
try {
  await vite.build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
  console.log(`web: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`web: build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
