// The build packet end to end: a version with an STL, a DXF made by code, a Cyrillic/Greek README and a BOM with a
// sub-assembly and tube lengths → packet.pdf (202 then the PDF, cached), its pages, text and vector drawing, packet.zip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFRawStream, type PDFPage } from 'pdf-lib';
import { unzipSync } from 'fflate';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { pageTexts } from '../helpers/pdf-text.js';
import { DxfDrawing, roundedRect } from '../../designs/_generate/dxf.js';

const artifacts = join(import.meta.dirname, '..', 'artifacts');

/** A 150 × 100 mm plate with rounded corners, a hole, a slot end arc and a label: fits A4 portrait at 1:1. */
function plateDxf(): string {
  const d = new DxfDrawing();
  d.polyline(roundedRect(0, 0, 150, 100, 8), true, 'CUT');
  d.circle([40, 50], 12, 'HOLES');
  d.arc([110, 50], 15, 270, 90, 'CUT');
  d.line([110, 35], [95, 35], 'CUT').line([95, 35], [95, 65], 'CUT').line([95, 65], [110, 65], 'CUT');
  d.text([0, 106], 5, 'BASE PLATE 150 x 100 mm');
  return d.toString();
}

const readme = `# Test press

## Сборка рамы

Сварите раму на ровном столе. Проверьте диагонали.

## Συναρμολόγηση

1. Κόψτε τους σωλήνες.
2. Συγκολλήστε το πλαίσιο.

- **Bold** step with \`M10\` bolts
`;

const bom =
  [
    'Level,Part Number,Description,Qty,Unit,Unit Price,Currency,Supplier,Material,Notes,File',
    '1,FR-100,Frame weldment,1,pcs,,,,,Weld on a flat table,frame.stl',
    '1.1,FR-101,Leg tube 40x40x3,2,m,8.50,EUR,Stahl AG,S235 square tube,4 x 500 mm,',
    '1.2,FR-102,Rail tube 40x40x3,2.4,m,8.50,EUR,Stahl AG,S235 square tube,2 x 1200 mm,',
    '1.3,FR-103,Base plate,1,pcs,30.00,EUR,Laser Co,S235 plate 6 mm,,drawings/plate.dxf',
    '2,BL-M10,Hex bolt M10x30,8,pcs,0.40,EUR,Fasteners Ltd,8.8 zinc,,',
  ].join('\n') + '\n';

/** A page's content stream(s), inflated: the drawing operators as written. */
function pageContent(page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((r) => page.doc.context.lookup(r)) : [contents];
  return streams
    .map((s) => (s instanceof PDFRawStream ? inflateSync(Buffer.from(s.contents)).toString('latin1') : ''))
    .join('\n');
}

function hasPdftoppm(): boolean {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.each(databaseKinds)('build packet on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let pdf: Buffer;
  let texts: string[];
  const base = '/api/designs/ana/press/versions/1.0.0';

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1, publicUrl: 'https://andecha.example' });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press', {
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
    });
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      {
        version: '1.0.0',
        title: 'Test press',
        summary: 'A small press',
        safety: ['Wear gloves: Осторожно, горячо!'],
        units: 'mm',
      },
      [
        { path: 'README.md', bytes: readme },
        { path: 'frame.stl', bytes: cubeStl(40) },
        { path: 'drawings/plate.dxf', bytes: plateDxf() },
      ],
      { name: 'bom.csv', bytes: bom },
    );
    expect(r.statusCode).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('answers 202 with the job while the packet is made, then the PDF; the same options come from the cache', async () => {
    const first = await t.app.inject({ url: `${base}/packet.pdf?units=2` });
    expect(first.statusCode).toBe(202);
    expect(first.json().job).toMatch(/^\/api\/jobs\/[0-9a-f-]{36}$/);
    const job = await t.app.inject({ url: first.json().job });
    expect(job.json().kind).toBe('packet-pdf');

    const ready = await t.app.inject({ url: `${base}/packet.pdf?units=2&wait=1` });
    expect(ready.statusCode).toBe(200);
    expect(ready.headers['content-type']).toBe('application/pdf');
    expect(ready.headers['content-disposition']).toContain('attachment; filename="ana-press-1.0.0-packet-x2.pdf"');
    expect(ready.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    pdf = ready.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Number(ready.headers['content-length'])).toBe(pdf.length);

    const again = await t.app.inject({ url: `${base}/packet.pdf?wait=0&units=2` });
    expect(again.statusCode).toBe(200);
    expect(again.headers.etag).toBe(ready.headers.etag);
    const notModified = await t.app.inject({
      url: `${base}/packet.pdf?units=2`,
      headers: { 'if-none-match': String(ready.headers.etag) },
    });
    expect(notModified.statusCode).toBe(304);
    // other options are another packet
    expect((await t.app.inject({ url: `${base}/packet.pdf?units=3&paper=letter` })).statusCode).toBe(202);
  }, 60_000);

  it('has the expected pages, chapters and text, with Cyrillic and Greek', async () => {
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(9);
    expect(doc.getTitle()).toBe('Test press 1.0.0 — build packet');
    texts = await pageTexts(pdf);
    expect(texts).toHaveLength(9);
    const all = texts.join('\n');
    expect(texts[0]).toContain('version 1.0.0');
    expect(texts[0]).toContain('Test press');
    expect(texts[0]).toContain('CERN-OHL-S-2.0');
    expect(texts[0]).toContain('https://andecha.example/ana/press/1.0.0');
    expect(texts[1]).toContain('Contents');
    for (const chapter of [
      'Safety notes',
      'Bill of materials',
      'Cut list',
      'Drawings',
      'Parts',
      'Assembly instructions',
      'Field notes',
    ])
      expect(texts[1]).toContain(chapter);
    expect(texts[2]).toContain('Осторожно, горячо!');
    const bomPage = texts.find((p) => p.includes('Bill of materials') && p.includes('Hex bolt M10x30'))!;
    for (const part of ['Frame weldment', 'Leg tube 40x40x3', 'Rail tube 40x40x3', 'Base plate', 'Stahl AG'])
      expect(bomPage).toContain(part);
    // 2 units: 4 m + 4.8 m of tube at 8.50, 2 plates at 30, 16 bolts at 0.40 → 141.20 EUR; 70.60 per unit
    expect(bomPage).toContain('Total for 2 units');
    expect(bomPage).toContain('141.20 EUR');
    expect(bomPage).toContain('70.60 EUR');
    expect(bomPage).toContain('4.8 m');
    const cutPage = texts.find((p) => p.includes('Stock bars of 6 000 mm'))!;
    expect(cutPage).toContain('Bar 1');
    expect(cutPage).toContain('1 200');
    expect(all).toContain('Сборка рамы');
    expect(all).toContain('Συναρμολόγηση');
    expect(all).toContain('Κόψτε τους σωλήνες.');
    expect(all).toContain('No approved builds yet');
    expect(texts.at(-1)).toContain('Page 9 of 9');
  });

  it('draws the DXF as vector paths at 1:1', async () => {
    const doc = await PDFDocument.load(pdf);
    const index = texts.findIndex((p) => p.includes('drawings/plate.dxf') && p.includes('Scale 1:1'));
    expect(index).toBeGreaterThan(0);
    const ops = pageContent(doc.getPage(index));
    const lines = ops.match(/^-?[\d.]+ -?[\d.]+ l$/gm) ?? [];
    const moves = ops.match(/^-?[\d.]+ -?[\d.]+ m$/gm) ?? [];
    // a 96-segment circle, a bulged outline, an arc, three lines
    expect(lines.length).toBeGreaterThan(150);
    expect(moves.length).toBeGreaterThanOrEqual(6);
    expect(ops).toMatch(/^S$/m);
    expect(texts[index]).toContain('BASE PLATE 150 x 100 mm');
  });

  it('zips the PDF, the CAD files and the BOM CSV', async () => {
    const r = await t.app.inject({ url: `${base}/packet.zip?units=2&wait=1` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    const entries = unzipSync(new Uint8Array(r.rawPayload));
    const root = 'ana-press-1.0.0-packet-x2/';
    expect(Object.keys(entries).sort()).toEqual([
      `${root}bom-x2.csv`,
      `${root}files/drawings/plate.dxf`,
      `${root}files/frame.stl`,
      `${root}packet.pdf`,
    ]);
    expect(Buffer.from(entries[`${root}packet.pdf`]!).equals(pdf)).toBe(true);
    expect(Buffer.from(entries[`${root}bom-x2.csv`]!).toString()).toContain('Hex bolt M10x30');
  });

  it('prints a "length unknown" row naming a stock line that gives only its total length, and draws no bar for it', async () => {
    const stockBom =
      [
        'Level,Description,Qty,Unit,Material,Cut length (mm),Notes',
        '1,Leg tube 40x40x3,2,m,S235 square tube,500,',
        '2,Diagonal brace,3.1,m,S235 angle 30x30x3,,Mitre both ends',
      ].join('\n') + '\n';
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.0.1', title: 'Test press' },
      [{ path: 'README.md', bytes: readme }],
      { name: 'bom.csv', bytes: stockBom },
    );
    expect(r.statusCode).toBe(201);
    const cut = (await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.1/bom/cutlist?units=2' })).json();
    expect(cut.lengthUnknown).toEqual([
      { position: '2', name: 'Diagonal brace', material: 'S235 angle 30x30x3', totalMm: '6200' },
    ]);
    expect(cut.warnings).toEqual([
      expect.objectContaining({
        position: '2',
        code: 'cut-length-unknown',
        message: expect.stringContaining('length unknown'),
      }),
    ]);
    expect(cut.groups.flatMap((group: any) => group.cuts.map((c: any) => c.position))).toEqual(['1']);
    const packet = await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.1/packet.pdf?units=2&wait=1' });
    expect(packet.statusCode).toBe(200);
    if (kind === 'pglite') {
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(join(artifacts, 'packet-length-unknown.pdf'), packet.rawPayload);
    }
    const all = (await pageTexts(packet.rawPayload)).join('\n');
    // 2 m ÷ 500 mm = 4 legs per machine, × 2 machines = 8 pieces of 500 mm
    expect(all).toMatch(/500 8 1 Leg tube 40x40x3/);
    expect(all).toMatch(/length unknown 6 200 2 Diagonal brace · S235 angle 30x30x3/);
    expect(all).not.toContain('offcut 0');
  }, 60_000);

  it('refuses options it cannot print', async () => {
    for (const q of ['paper=a3', 'units=0', 'stock=long', 'region=Germany', 'colour=red']) {
      const r = await t.app.inject({ url: `${base}/packet.pdf?${q}` });
      expect(r.statusCode, q).toBe(400);
      expect(isProblem(r)).toBe(true);
    }
    expect((await t.app.inject({ url: '/api/designs/ana/press/versions/9.9.9/packet.pdf' })).statusCode).toBe(404);
  });

  it('renders its pages to PNG where poppler is installed', async (ctx) => {
    if (kind !== 'pglite') return;
    if (!hasPdftoppm()) {
      ctx.skip(true, 'pdftoppm (poppler-utils) is not installed: page images not rendered');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'packet-png-'));
    try {
      writeFileSync(join(dir, 'packet.pdf'), pdf);
      execFileSync('pdftoppm', ['-r', '70', '-png', join(dir, 'packet.pdf'), join(dir, 'packet')]);
      const pngs = readdirSync(dir)
        .filter((f) => f.endsWith('.png'))
        .sort();
      expect(pngs).toHaveLength(9);
      mkdirSync(artifacts, { recursive: true });
      for (const f of pngs) renameSync(join(dir, f), join(artifacts, f));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
