// A Kitspace project with a board and an electronic BOM, imported as a zip (one project, and a multi-project
// repository), drawn by the pipeline, exported as a Kitspace zip (?format=kitspace) and imported again: the same board
// (layers, facts) and the same BOM lines (designators, MPN, fitted, quantity). A named gerbers folder that is missing
// is a warning. Fixtures are written by code: makeBoard's Gerber and Excellon text, BOM tables, zips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { makeBoard, type BoardFixture } from '../helpers/board-fixture.js';
import { eventually } from '../helpers/eventually.js';
import { importForm, zip } from './fixtures.js';

/** A board whose drill file sits in a sub-folder of the Gerbers' folder: only `gerbers:` makes them one board. */
function boardFiles(folder: string, name: string): { board: BoardFixture; files: Record<string, string> } {
  const board = makeBoard({ folder, name, pads: 6, traces: 4 });
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(board.files))
    files[path.endsWith('.drl') ? `${folder}/drill/${name}.drl` : path] = text;
  return { board, files };
}

const oneClick =
  'References\tQty\tDescription\tManufacturer\tMPN\tDigikey\n' +
  'R1, R2, R3\t3\tRES 10k 0603\tYageo\tRC0603FR-0710KL\t311-10.0KHRCT-ND\n' +
  'C1,C2\t2\tCAP 10uF 0805\tSamsung\tCL21A106KAYNNNE\t1276-2891-1-ND\n' +
  'U1\t1\tLDO 3.3V SOT-223\tTI\tTLV1117-33\t296-21112-1-ND\n';

const kicadBom =
  '"Reference","Value","Footprint","Qty","DNP","MPN","Manufacturer"\n' +
  '"R1-R4","10k","Resistor_SMD:R_0603_1608Metric","4","","RC0603FR-0710KL","Yageo"\n' +
  '"D1","red","LED_SMD:LED_0805_2012Metric","1","DNP","150080RS75000","Wurth"\n';

/** What must survive a round trip of a BOM line. */
const essentials = (lines: any[]) =>
  lines.map((l) => ({ designators: l.designators, mpn: l.mpn, fitted: l.fitted ?? true, quantity: l.quantity }));
/** What must survive a round trip of a board. */
const boardShape = (b: any) => ({
  id: b.id,
  layers: [...b.layers].sort((x: any, y: any) => x.path.localeCompare(y.path)),
  facts: b.facts,
  state: b.pipeline.state,
});

describe.each(databaseKinds)('Kitspace boards and BOMs on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const post = async (parts: { name: string; bytes: string | Uint8Array }[]) => {
    const { payload, headers } = await formPayload(importForm(parts));
    return t.app.inject({ method: 'POST', url: '/api/import', headers: { ...headers, ...ana.auth }, payload });
  };
  /** The version document once every board is drawn (or failed). */
  const drawn = (owner: string, slug: string, boards = 1) =>
    eventually(
      async () => {
        const doc = (await t.app.inject({ url: `/api/designs/${owner}/${slug}/versions/latest` })).json();
        const list = doc.boards ?? [];
        return list.length === boards && list.every((b: any) => ['done', 'failed'].includes(b.pipeline.state))
          ? doc
          : undefined;
      },
      90_000,
      `the boards of ${owner}/${slug}`,
    );
  const bomLines = async (slug: string) =>
    (await t.app.inject({ url: `/api/designs/ana/${slug}/versions/latest/bom?format=json` })).json().lines;
  const exportZip = async (slug: string) => {
    const r = await t.app.inject({ url: `/api/designs/ana/${slug}/versions/latest/export?format=kitspace` });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    return r.rawPayload;
  };

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    ana = await registerUser(t.app, 'ana');
  });
  afterAll(async () => {
    await t.close();
  });

  it('imports a zipped repository as one design with its board and electronic BOM, exports it and imports it back the same', async () => {
    const { board, files } = boardFiles('hardware/gerbers', 'usb');
    const yaml =
      'summary: A USB-C power breakout with a 3.3 V regulator.\ncolor: blue\nbom: 1-click-bom.tsv\n' +
      'gerbers: hardware/gerbers/\neda:\n  type: kicad\n  pcb: hardware/usb.kicad_pcb\nreadme: README.md\n';
    const r = await post([
      {
        name: 'usb-c-breakout.zip',
        bytes: zip({
          'usb-c-breakout/kitspace.yaml': yaml,
          'usb-c-breakout/1-click-bom.tsv': oneClick,
          'usb-c-breakout/README.md': '# USB-C breakout\n',
          'usb-c-breakout/hardware/usb.kicad_pcb': '(kicad_pcb (version 20221018))\n',
          ...Object.fromEntries(Object.entries(files).map(([p, text]) => [`usb-c-breakout/${p}`, text])),
        }),
      },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    const [d] = r.json().designs;
    expect(d).toMatchObject({ owner: 'ana', slug: 'usb-c-breakout', version: '0.1.0' });
    expect(d.warnings.filter((w: string) => /gerbers|BOM/.test(w))).toEqual([]);

    const doc = await drawn('ana', 'usb-c-breakout');
    expect(doc.boards).toHaveLength(1);
    const [b] = doc.boards;
    expect(b).toMatchObject({
      id: 'hardware/gerbers',
      name: 'gerbers',
      pipeline: { state: 'done' },
      facts: { width: board.width, height: board.height, copperLayers: 2, holes: 6, smallestHole: 0.8 },
    });
    expect(b.layers).toEqual(
      expect.arrayContaining([
        { path: 'hardware/gerbers/usb-F_Cu.gbr', type: 'copper', side: 'top' },
        { path: 'hardware/gerbers/usb-B_Cu.gbr', type: 'copper', side: 'bottom' },
        { path: 'hardware/gerbers/usb-Edge_Cuts.gbr', type: 'outline', side: 'all' },
        { path: 'hardware/gerbers/drill/usb.drl', type: 'drill', side: 'all' },
      ]),
    );
    expect((await t.app.inject({ url: b.previews.top })).headers['content-type']).toBe('image/png');
    const lines = await bomLines('usb-c-breakout');
    expect(essentials(lines)).toEqual([
      { designators: ['R1', 'R2', 'R3'], mpn: 'RC0603FR-0710KL', fitted: true, quantity: '3' },
      { designators: ['C1', 'C2'], mpn: 'CL21A106KAYNNNE', fitted: true, quantity: '2' },
      { designators: ['U1'], mpn: 'TLV1117-33', fitted: true, quantity: '1' },
    ]);

    // export: kitspace.yaml names the board's folder and the BOM, and the files are where it says
    const exported = unzipSync(await exportZip('usb-c-breakout'));
    const manifest = parseYaml(strFromU8(exported['usb-c-breakout/kitspace.yaml']));
    expect(manifest).toEqual({
      summary: 'A USB-C power breakout with a 3.3 V regulator.',
      color: 'blue',
      bom: '1-click-bom.tsv',
      gerbers: 'hardware/gerbers/',
      eda: { type: 'kicad', pcb: 'hardware/usb.kicad_pcb' },
      readme: 'README.md',
    });
    expect(strFromU8(exported[`usb-c-breakout/${manifest.bom}`])).toBe(oneClick);
    for (const l of b.layers) expect(exported[`usb-c-breakout/${l.path}`], l.path).toBeDefined();
    expect(strFromU8(exported['usb-c-breakout/hardware/gerbers/usb-F_Cu.gbr'])).toBe(
      board.files['hardware/gerbers/usb-F_Cu.gbr'],
    );

    // and back: the same board and the same BOM lines
    const again = await post([{ name: 'usb-c-breakout-kitspace.zip', bytes: await exportZip('usb-c-breakout') }]);
    expect(again.statusCode, again.body).toBe(201);
    const [d2] = again.json().designs;
    expect(d2.slug).toBe('usb-c-breakout-2');
    const doc2 = await drawn('ana', 'usb-c-breakout-2');
    expect(doc2.boards.map(boardShape)).toEqual(doc.boards.map(boardShape));
    expect(doc2.manifest).toMatchObject({ gerbers: 'hardware/gerbers/', color: 'blue' });
    expect(essentials(await bomLines('usb-c-breakout-2'))).toEqual(essentials(lines));
  }, 240_000);

  it('imports a multi-project repository as one design per project, each board in its folder inside the project', async () => {
    const left = boardFiles('left/pcb/gerbers', 'left');
    const right = boardFiles('right/pcb/gerbers', 'right');
    const yaml =
      'multi:\n' +
      '  left:\n    summary: Left half.\n    bom: left/bom.csv\n    gerbers: left/pcb/gerbers\n' +
      '  right:\n    summary: Right half.\n    bom: right/bom.csv\n    gerbers: right/pcb/gerbers/\n';
    const r = await post([
      {
        name: 'split-keyboard.zip',
        bytes: zip({
          'kitspace.yaml': yaml,
          'left/bom.csv': kicadBom,
          'right/bom.csv': kicadBom,
          ...left.files,
          ...right.files,
        }),
      },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().designs.map((d: any) => d.slug)).toEqual(['left', 'right']);
    for (const [slug, fixture] of [
      ['left', left],
      ['right', right],
    ] as const) {
      const doc = await drawn('ana', slug);
      expect(doc.boards.map((b: any) => [b.id, b.pipeline.state, b.facts.width, b.layers.length])).toEqual([
        ['pcb/gerbers', 'done', fixture.board.width, Object.keys(fixture.files).length],
      ]);
      expect(doc.boards[0].layers.map((l: any) => l.path)).toContain(`pcb/gerbers/drill/${slug}.drl`);
      expect(essentials(await bomLines(slug))).toEqual([
        { designators: ['R1', 'R2', 'R3', 'R4'], mpn: 'RC0603FR-0710KL', fitted: true, quantity: '4' },
        { designators: ['D1'], mpn: '150080RS75000', fitted: false, quantity: '1' },
      ]);
      const exported = unzipSync(await exportZip(slug));
      const manifest = parseYaml(strFromU8(exported[`${slug}/kitspace.yaml`]));
      expect(manifest).toMatchObject({
        summary: `${slug === 'left' ? 'Left' : 'Right'} half.`,
        bom: 'bom.csv',
        gerbers: 'pcb/gerbers/',
      });
      expect(strFromU8(exported[`${slug}/bom.csv`])).toBe(kicadBom);
    }
  }, 240_000);

  it('exports a BOM published as JSON as a 1-click-BOM that imports back with the same lines', async () => {
    // published without a manifest naming its Gerbers: one folder is one board
    const { files } = makeBoard({ folder: 'pcb', name: 'lamp' });
    await createDesign(t.app, ana, 'lamp-driver');
    const bom = {
      lines: [
        { position: '1', name: 'MOSFET', designators: ['Q1', 'Q2'], quantity: '2', unit: 'pcs', mpn: 'AO3400A' },
        {
          position: '2',
          name: 'Spare fuse',
          designators: ['F2'],
          quantity: '1',
          unit: 'pcs',
          mpn: '0451002.MRL',
          fitted: false,
        },
      ],
    };
    const published = await publish(
      t.app,
      ana,
      'ana',
      'lamp-driver',
      { version: '1.0.0' },
      Object.entries(files).map(([path, text]) => ({ path, bytes: new TextEncoder().encode(text) })),
      { name: 'bom.json', bytes: JSON.stringify(bom) },
    );
    expect(published.statusCode, published.body).toBe(201);
    const doc = await drawn('ana', 'lamp-driver');
    const exported = unzipSync(await exportZip('lamp-driver'));
    const manifest = parseYaml(strFromU8(exported['lamp-driver/kitspace.yaml']));
    expect(manifest).toMatchObject({ bom: '1-click-bom.tsv', gerbers: 'pcb/' });
    expect(strFromU8(exported['lamp-driver/1-click-bom.tsv']).split('\n')[0]).toMatch(
      /^References\tQty\tDescription\tManufacturer\tMPN/,
    );

    const again = await post([{ name: 'lamp-driver.zip', bytes: await exportZip('lamp-driver') }]);
    expect(again.statusCode, again.body).toBe(201);
    const slug = again.json().designs[0].slug;
    expect(slug).toBe('lamp-driver-2');
    expect(essentials(await bomLines(slug))).toEqual(essentials(bom.lines));
    expect((await drawn('ana', slug)).boards.map(boardShape)).toEqual(doc.boards.map(boardShape));
  }, 240_000);

  it('says so when the gerbers folder the manifest names is not in the upload, or holds no Gerber, and lists no board', async () => {
    const r = await post([
      {
        name: 'no-gerbers.zip',
        bytes: zip({
          'no-gerbers/kitspace.yaml':
            'summary: A board without its Gerbers.\nbom: 1-click-bom.tsv\ngerbers: hardware/gerbers/\n',
          'no-gerbers/1-click-bom.tsv': oneClick,
          'no-gerbers/README.md': '# No Gerbers\n',
        }),
      },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    const [d] = r.json().designs;
    expect(d.warnings).toContain('the folder "hardware/gerbers/" named by the manifest is not in the upload');
    const doc = await eventually(async () => {
      const v = (await t.app.inject({ url: '/api/designs/ana/no-gerbers/versions/latest' })).json();
      return v.pipeline.state === 'done' ? v : undefined;
    });
    expect(doc.boards).toBeUndefined();
    expect(doc.bom.lines).toBe(3);

    // a folder that is there but holds no fabrication file makes no board either, and says so
    const notGerbers = await post([
      {
        name: 'pdf-gerbers.zip',
        bytes: zip({
          'pdf-gerbers/kitspace.yaml': 'summary: Gerbers printed to PDF.\ngerbers: hardware/gerbers/\n',
          'pdf-gerbers/hardware/gerbers/board.pdf': '%PDF-1.4\n%%EOF\n',
          'pdf-gerbers/hardware/gerbers/notes.txt': 'send these to the board house\n',
        }),
      },
    ]);
    expect(notGerbers.statusCode, notGerbers.body).toBe(201);
    expect(notGerbers.json().designs[0].warnings).toContain(
      'the folder "hardware/gerbers/" that gerbers: names holds no Gerber or drill file, so no board is made from it',
    );
    expect(d.warnings.filter((w: string) => w.includes('gerbers: names'))).toEqual([]);
  });
});
