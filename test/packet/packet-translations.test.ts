// The build packet prints the version's instructions in its language (issue 30): README.es.md in a Spanish packet
// instead of the README, saying so; a stale translation (the README changed, the translation carried) with the notice
// on the page; a French packet without a French translation prints the README under French headings; pt-BR finds a
// `pt` translation; packet.zip brings the translation and the README it translates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  isProblem,
  publish,
  publishForm,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { pageTexts } from '../helpers/pdf-text.js';

const sha = (b: string) => createHash('sha256').update(b).digest('hex');

const readme1 =
  '# Brick press\n\n## Frame\n\nBolt the frame to the base plate.\n\nGrease the ram before the first block.\n';
const readme2 = `${readme1}\nCheck the locking pin every hundred blocks.\n`;
const es =
  '# Prensa de bloques\n\n## Bastidor\n\nAtornille el bastidor a la placa base.\n\nEngrase el pistón antes del primer bloque.\n';
const pt = '# Prensa de blocos\n\n## Estrutura\n\nParafuse a estrutura na placa de base.\n';

const base = '/api/designs/ana/press/versions';

describe.each(databaseKinds)('build packet translations on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;

  /** The packet for a version and query, waiting for it (the pipeline makes it in the background). */
  async function packet(version: string, query: string, file = 'packet.pdf') {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await t.app.inject({ url: `${base}/${version}/${file}?${query}&wait=1` });
      if (r.statusCode !== 202 || Date.now() > deadline) return r;
    }
  }
  const text = async (version: string, query: string) => {
    const r = await packet(version, query);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    return (await pageTexts(r.rawPayload)).join('\n');
  };

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1, publicUrl: 'https://andecha.example' });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press', { title: 'Earth block press' });
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0', title: 'Earth block press' }, [
      { path: 'README.md', bytes: readme1 },
      { path: 'README.es.md', bytes: es },
      { path: 'README.pt.md', bytes: pt },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    // 1.1.0 changes the README and carries the Spanish translation unchanged: stale, following 1.0.0
    const fd = publishForm({ version: '1.1.0', title: 'Earth block press' }, [{ path: 'README.md', bytes: readme2 }]);
    fd.append('existing', JSON.stringify([{ path: 'README.es.md', sha256: sha(es) }]));
    const { payload, headers } = await formPayload(fd);
    const r2 = await t.app.inject({
      method: 'POST',
      url: `${base}`,
      headers: { ...headers, ...ana.auth },
      payload,
    });
    expect(r2.statusCode, r2.body).toBe(201);
    expect(r2.json().translations).toEqual([expect.objectContaining({ lang: 'es', stale: true, changedIn: '1.1.0' })]);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('prints the Spanish translation in a Spanish packet instead of the README, saying so', async () => {
    const all = await text('1.0.0', 'lang=es');
    expect(all).toContain('Instrucciones de montaje');
    expect(all).toContain('Instrucciones traducidas de README.md (inglés): README.es.md de la versión 1.0.0.');
    expect(all).toContain('Atornille el bastidor a la placa base.');
    expect(all).toContain('Bastidor');
    expect(all).not.toContain('Bolt the frame');
    expect(all).not.toContain('cambiaron en la versión');
  }, 180_000);

  it('marks a stale translation on the page: the README changed in 1.1.0, the translation follows 1.0.0', async () => {
    const all = await text('1.1.0', 'lang=es');
    expect(all).toContain('Atornille el bastidor a la placa base.');
    expect(all).toContain(
      'Las instrucciones en inglés cambiaron en la versión 1.1.0; esta traducción sigue la 1.0.0: compárala con el original (README.md).',
    );
    expect(all).not.toContain('Check the locking pin');
  }, 180_000);

  it('prints the English README under French headings when the version has no French translation', async () => {
    const all = await text('1.1.0', 'lang=fr');
    expect(all).toContain('Instructions de montage');
    expect(all).toContain('D’après README.md de la version 1.1.0.');
    expect(all).toContain('Bolt the frame to the base plate.');
    expect(all).toContain('Check the locking pin every hundred blocks.');
    expect(all).not.toContain('Atornille');
    // and English prints the README as before
    const en = await text('1.0.0', 'lang=en');
    expect(en).toContain('Bolt the frame to the base plate.');
    expect(en).not.toContain('Atornille');
  }, 180_000);

  it('finds a `pt` translation for a pt-BR packet', async () => {
    const all = await text('1.0.0', 'lang=pt-BR');
    expect(all).toContain('Instruções traduzidas de README.md (inglês): README.pt.md da versão 1.0.0.');
    expect(all).toContain('Parafuse a estrutura na placa de base.');
    expect(all).not.toContain('Bolt the frame');
  }, 180_000);

  it('zips the translation the packet printed and the README it translates, and no instructions otherwise', async () => {
    const r = await packet('1.1.0', 'lang=es', 'packet.zip');
    expect(r.statusCode).toBe(200);
    const entries = unzipSync(new Uint8Array(r.rawPayload));
    const root = 'ana-press-1.1.0-packet-es/';
    expect(Object.keys(entries).sort()).toEqual([
      `${root}files/README.es.md`,
      `${root}files/README.md`,
      `${root}packet.pdf`,
    ]);
    expect(Buffer.from(entries[`${root}files/README.es.md`]!).toString()).toBe(es);
    expect(Buffer.from(entries[`${root}files/README.md`]!).toString()).toBe(readme2);
    const fr = unzipSync(new Uint8Array((await packet('1.1.0', 'lang=fr', 'packet.zip')).rawPayload));
    expect(Object.keys(fr)).toEqual(['ana-press-1.1.0-packet-fr/packet.pdf']);
  }, 180_000);

  it('answers an unsupported lang with a 400 listing the supported languages', async () => {
    const r = await t.app.inject({ url: `${base}/1.0.0/packet.pdf?lang=xx` });
    expect(r.statusCode).toBe(400);
    expect(isProblem(r)).toBe(true);
    expect(r.json().supported).toEqual(expect.arrayContaining(['en', 'es', 'ca', 'pt-BR', 'fr', 'de', 'ar']));
  });
});
