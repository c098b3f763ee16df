// Whether web/dist is older than what it is built from: the check `npm start` (prestart), `npm install`
// (postinstall) and the test run (test/global-setup.ts) make before building the web app, in milliseconds.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What web/dist is built from, relative to the repository root. */
export const webSources = [
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'web/tsconfig.json',
  'schemas',
  'locales',
];

/** Newest modification time under a file or folder (0 when it does not exist). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * The first source changed since web/dist was last built ('web/dist' itself when it was never built), or undefined
 * when the build is current.
 */
export function staleWebSource(root) {
  const marker = join(root, 'web', 'dist', 'index.html');
  if (!existsSync(marker)) return 'web/dist';
  const built = statSync(marker).mtimeMs;
  return webSources.find((path) => newestMtime(join(root, path)) > built);
}
