// The build packet in the reader's language (issue 30): ?lang= (a bare language matches its locale), else
// Accept-Language, else English; an unsupported lang is a 400 naming the supported ones; the language is part of the
// packet's identity; Spanish headings, numbers and money read back from the PDF; Arabic prints Arabic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, isProblem, publish, registerUser, type TestApp } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { pageTexts } from '../helpers/pdf-text.js';
import { packetLocale } from '../../server/src/packet/options.js';
import { packetFormat } from '../../server/src/packet/format.js';
import { processName } from '../../server/src/packet/process-names.js';
import { translator } from '../../server/src/locales/translate.js';

const bom =
  [
    'Level,Part Number,Description,Qty,Unit,Unit Price,Currency,Supplier,Material,Notes,File,Process',
    '1,FR-101,Leg tube 40x40x3,2,m,8.50,EUR,Stahl AG,S235 square tube,4 x 500 mm,,welding',
    '2,BL-M10,Hex bolt M10x30,8,pcs,0.40,EUR,Fasteners Ltd,8.8 zinc,,,knurling by hand',
    '3,PL-1,Base plate,1,pcs,1200.00,EUR,Laser Co,S235 plate 6 mm,,,laser-cut',
  ].join('\n') + '\n';

const base = '/api/designs/ana/press/versions/1.0.0';

describe('packet languages without a server', () => {
  it('matches a bare language to its locale and refuses an unknown one', () => {
    expect(packetLocale('pt')).toBe('pt-BR');
    expect(packetLocale('ES')).toBe('es');
    expect(packetLocale(undefined, 'de-CH, en;q=0.5')).toBe('de');
    expect(packetLocale(undefined, undefined)).toBe('en');
    expect(() => packetLocale('xx')).toThrow(/not a language of the build packet/);
  });

  it('formats numbers and money by the locale, English as before', () => {
    expect(packetFormat('en').money('1234.5', 'EUR')).toBe('1\u202f234.50 EUR');
    expect(packetFormat('es').money('1234.5', 'EUR')).toBe('1234,50\u00a0€');
    expect(packetFormat('de').money('12345.5', 'EUR')).toBe('12.345,50\u00a0€');
    expect(packetFormat('fr').decimal('6000')).toBe('6\u202f000');
    expect(packetFormat('es').date(new Date('2026-03-04T12:00:00Z'))).toBe('4 de marzo de 2026');
  });

  it('names countries in the packet’s language, and processes of the vocabulary from the catalogue', () => {
    expect(packetFormat('es').country('de')).toBe('Alemania');
    expect(packetFormat('ar').country('BR')).toBe('البرازيل');
    expect(packetFormat('en').country('ES')).toBe('Spain');
    expect(packetFormat('ca').country('not a code')).toBe('not a code');
    const es = translator('packet', 'es');
    expect(processName(es, 'laser-cut')).toBe('corte láser');
    expect(processName(translator('packet', 'ca'), 'welding')).toBe('soldadura');
    expect(processName(es, 'knurling by hand')).toBe('knurling by hand');
  });
});

describe.each(databaseKinds)('build packet languages on %s', (kind) => {
  let t: TestApp;

  /** The packet for a query, waiting for it (the pipeline makes it in the background). */
  async function packet(query: string, headers: Record<string, string> = {}) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await t.app.inject({ url: `${base}/packet.pdf?${query}&wait=1`, headers });
      if (r.statusCode !== 202 || Date.now() > deadline) return r;
    }
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1, publicUrl: 'https://andecha.example' });
    const ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press', { licenses: { hardware: 'CERN-OHL-S-2.0' } });
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.0.0', title: 'Test press', summary: 'A small press', units: 'mm' },
      [
        { path: 'README.md', bytes: '# Test press\n\n## Frame\n\nWeld the frame.\n' },
        { path: 'frame.stl', bytes: cubeStl(40) },
      ],
      { name: 'bom.csv', bytes: bom },
    );
    expect(r.statusCode).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('prints the packet in Spanish with ?lang=es: translated headings, numbers and money for the locale', async () => {
    const r = await packet('lang=es&units=2');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-language']).toBe('es');
    expect(r.headers['content-disposition']).toContain('ana-press-1.0.0-packet-x2-es.pdf');
    const texts = await pageTexts(r.rawPayload);
    expect(texts[0]).toContain('Hecho para 2 unidades');
    expect(texts[0]).toContain('versión 1.0.0');
    expect(texts[1]).toContain('Índice');
    for (const chapter of ['Notas de seguridad', 'Lista de materiales', 'Lista de corte', 'Instrucciones de montaje'])
      expect(texts[1]).toContain(chapter);
    const bomPage = texts.find((p) => p.includes('Lista de materiales') && p.includes('Hex bolt M10x30'))!;
    expect(bomPage).toContain('Total para 2 unidades');
    // 2 units: 4 m of tube at 8.50, 16 bolts at 0.40, 2 plates at 1200 → 2440.40 EUR; 1220.20 per unit
    expect(bomPage).toContain('2440,40 €');
    expect(bomPage).toContain('1220,20 €');
    expect(bomPage).toContain('Coste unitario (EUR)');
    // the vocabulary's processes in Spanish, free text as the maker wrote it
    expect(bomPage).toContain('soldadura');
    expect(bomPage).toContain('corte láser');
    expect(bomPage).toContain('knurling by hand');
    expect(bomPage).not.toContain('laser-cut');
    // count units worded from the catalogue ("16 uds."), metric symbols kept ("4 m"), no English "pcs"
    const spanish = translator('packet', 'es');
    expect(spanish('units.pcs', { quantity: '16', count: 16 })).toBe('16 uds.');
    expect(bomPage).toContain(spanish('units.pcs', { quantity: '16', count: 16 }));
    expect(bomPage).toContain('4 m');
    expect(bomPage).not.toMatch(/\bpcs\b/);
    expect(texts.join('\n')).not.toContain('Bill of materials');
    expect(texts.at(-1)).toMatch(/Página \d+ de \d+/);
    // the cut list's warning (pieces read from the leg tube's notes) in Spanish too
    const flowing = texts.join(' ').replace(/\s+/g, ' ');
    expect(flowing).toContain('longitudes de corte leídas de las notas ("4 x 500 mm")');
    expect(flowing).not.toContain('cut lengths read from the notes');
  }, 180_000);

  it('follows Accept-Language without lang, and an English and a Spanish packet of one version differ', async () => {
    const de = await packet('units=2', { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    expect(de.statusCode).toBe(200);
    expect(de.headers['content-language']).toBe('de');
    expect(String(de.headers.vary)).toMatch(/accept-language/i);
    const deTexts = await pageTexts(de.rawPayload);
    expect(deTexts[1]).toContain('Stückliste');
    expect(deTexts.join('\n')).toContain('2.440,40 €');

    const en = await packet('units=2');
    expect(en.statusCode).toBe(200);
    expect(en.headers['content-language']).toBe('en');
    expect((await pageTexts(en.rawPayload))[1]).toContain('Bill of materials');
    const es = await packet('units=2&lang=es');
    expect(es.headers.etag).not.toBe(en.headers.etag);
    expect(es.headers.etag).not.toBe(de.headers.etag);
    // lang= wins over Accept-Language, and `pt` is Brazilian Portuguese
    const pt = await packet('units=2&lang=pt', { 'accept-language': 'de' });
    expect(pt.headers['content-language']).toBe('pt-BR');
    expect((await pageTexts(pt.rawPayload))[1]).toContain('Lista de materiais');
  }, 300_000);

  it('answers an unsupported lang with a 400 listing the supported languages', async () => {
    const r = await t.app.inject({ url: `${base}/packet.pdf?lang=xx` });
    expect(r.statusCode).toBe(400);
    expect(isProblem(r)).toBe(true);
    const problem = r.json();
    expect(problem.supported).toEqual(expect.arrayContaining(['en', 'es', 'ca', 'pt-BR', 'fr', 'de', 'ar']));
    expect(problem.detail).toContain('pt-BR');
    const zip = await t.app.inject({ url: `${base}/packet.zip?lang=klingon` });
    expect(zip.statusCode).toBe(400);
  });

  it('prints an Arabic packet in Arabic', async () => {
    const r = await packet('lang=ar');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-language']).toBe('ar');
    const texts = await pageTexts(r.rawPayload);
    expect(texts[1]).toContain('المحتويات');
    expect(texts.join('\n')).toContain('قائمة المواد');
    expect(texts.join('\n')).toContain('Hex bolt M10x30');
  }, 180_000);
});
