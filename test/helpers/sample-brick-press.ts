// The sample brick press 1.1.0 of designs/ published through the API as a maker would: its own manifest, README and
// BOM, under ose/brick-press. For tests that read the BOM and cut list of a real design.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createDesign, publish, registerUser, type TestUser } from './app.js';

export const sampleBrickPress = new URL('../../designs/brick-press/1.1.0', import.meta.url).pathname;

/** Registers `ose` and publishes ose/brick-press 1.1.0 from the sample; throws unless it is 201. */
export async function publishSampleBrickPress(app: FastifyInstance): Promise<TestUser> {
  const ose = await registerUser(app, 'ose');
  await createDesign(app, ose, 'brick-press', { title: 'Compressed earth brick press' });
  const manifest = JSON.parse(readFileSync(join(sampleBrickPress, 'manifest.json'), 'utf8'));
  const r = await publish(
    app,
    ose,
    'ose',
    'brick-press',
    manifest,
    [{ path: 'README.md', bytes: readFileSync(join(sampleBrickPress, 'README.md')) }],
    { name: 'bom.csv', bytes: readFileSync(join(sampleBrickPress, 'bom.csv')) },
  );
  if (r.statusCode !== 201) throw new Error(`publish the sample brick press: ${r.statusCode} ${r.body}`);
  return ose;
}
