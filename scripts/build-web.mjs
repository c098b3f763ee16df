#!/usr/bin/env node
// Builds the web app (web/ → web/dist) with Vite's JS API, only when a source is newer than the last build.
// Run before `npm start` (prestart), after `npm install` (postinstall) and once per test run (test/global-setup.ts);
// without vite (a production install without devDependencies) it warns and exits 0, and a failed build exits 1,
// so `npm start` never serves a web app older than its sources without saying so.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleWebSource } from './web-build-state.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!process.argv.includes('--force')) {
  const changed = staleWebSource(root);
  if (!changed) {
    console.log('web: web/dist is up to date, skipping the build');
    process.exit(0);
  }
  console.log(
    changed === 'web/dist' ? 'web: web/dist was never built' : `web: ${changed} changed since the last build`,
  );
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
