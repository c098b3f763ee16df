/* global require */
// The render helper thread's entry file. Worker threads do not get tsx's ESM loader, but its require hook works (as
// in piscina's threads): the TypeScript is required from here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./render-helper-entry.ts');
