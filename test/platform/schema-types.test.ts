// server/src/schema-types.ts is generated from schemas/: a stale copy fails here (run `npm run gen:types`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSchemaTypes } from '../../scripts/gen-types.js';
import { loadSchemas } from '../../server/src/schemas.js';

describe('schemas', () => {
  it('each has a unique $id and a title', () => {
    const ids = loadSchemas().map((s) => s.$id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of loadSchemas()) expect(typeof s.title).toBe('string');
  });

  it('generated TypeScript types are up to date', async () => {
    const committed = readFileSync(new URL('../../server/src/schema-types.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await generateSchemaTypes());
  });
});
