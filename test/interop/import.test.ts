// POST /api/import: OKH-LOSH (1.x and 2.x names), OKH v1, Kitspace single, alone and multi, slug suffixes, NOASSERTION, 422.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { databaseKinds } from '../helpers/databases.js';
import { translator } from '../../server/src/locales/translate.js';
import { createTestApp, formPayload, isProblem, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import {
  importForm,
  kitspaceMultiYaml,
  kitspaceYaml,
  loshBom,
  loshV1Toml,
  loshV2Toml,
  okhV1Yaml,
  oneClickBom,
  zip,
} from './fixtures.js';

/** The smallest file that is Gerber by content (format and units set, nothing drawn). */
const gerber = (comment: string) => `G04 ${comment}*\n%FSLAX46Y46*%\n%MOMM*%\nM02*\n`;
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

describe.each(databaseKinds)('import on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const post = async (parts: { name: string; bytes: string | Uint8Array }[], user = ana) => {
    const { payload, headers } = await formPayload(importForm(parts));
    return t.app.inject({ method: 'POST', url: '/api/import', headers: { ...headers, ...user.auth }, payload });
  };
  const versionDoc = async (owner: string, slug: string, v = 'latest') =>
    (await t.app.inject({ url: `/api/designs/${owner}/${slug}/versions/${v}` })).json();

  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
  });
  afterAll(async () => {
    await t.close();
  });

  it('imports a zipped OKH-LOSH 1.x project: fields mapped, unknown kept, files and BOM published', async () => {
    const scad = 'difference(){cylinder(h=30,r=28);cylinder(h=31,r=20);}';
    const r = await post([
      {
        name: 'ohloom.zip',
        bytes: zip({
          'ohloom/okh.toml': loshV1Toml,
          'ohloom/README.md': '# OHLOOM\n',
          'ohloom/sBoM.csv': loshBom,
          'ohloom/3DParts/ClampRing/ClampRing.scad': scad,
          'ohloom/Documentation/AssemblyGuide.md': '# Assembly\n',
          'ohloom/.git/HEAD': 'ref: refs/heads/main\n',
        }),
      },
    ]);
    expect(r.statusCode).toBe(201);
    const [d] = r.json().designs;
    expect(d).toMatchObject({ owner: 'ana', slug: 'ohloom', version: '0.10.0' });
    expect(d.warnings).toEqual([]);
    const doc = await versionDoc('ana', 'ohloom');
    expect(doc.files.map((f: any) => [f.path, f.sha256])).toEqual([
      ['3DParts/ClampRing/ClampRing.scad', sha(scad)],
      ['Documentation/AssemblyGuide.md', sha('# Assembly\n')],
      ['README.md', sha('# OHLOOM\n')],
    ]);
    expect(doc.bom).toMatchObject({ filename: 'sBoM.csv', sha256: sha(loshBom), lines: 3 });
    const m = doc.manifest;
    expect(m).toMatchObject({
      version: '0.10.0',
      title: 'OHLOOM',
      licenses: { hardware: 'CC-BY-SA-4.0' },
      licensor: 'Jens Meisner',
      organization: 'OSE Germany e.V.',
      readiness: { technology: 'OTRL-5', documentation: 'ODRL-3*' },
      readme: 'README.md',
      image: 'Documentation/loom.jpg',
      'documentation-language': 'en-GB',
      'standard-compliance': ['DIN SPEC 3105-1'],
      'cpc-patent-class': 'D03D 35/00',
      'manufacturing-instructions': 'Documentation/AssemblyGuide.md',
      'outer-dimensions': { width: 400, depth: 350, height: 150, unit: 'mm' },
      mass: { value: 1850, unit: 'g' },
      'fabric-width': 400,
      repo: 'https://gitlab.com/OSEGermany/ohloom',
    });
    expect(m.part).toEqual([
      {
        name: 'Clamp Ring',
        tsdc: '3DP',
        source: '3DParts/ClampRing/ClampRing.scad',
        export: ['3DParts/ClampRing/ClampRing.stl'],
        material: 'PLA',
      },
    ]);
    expect(m.function).toMatch(/^The Open Hardware Loom/);
    const design = (await t.app.inject({ url: '/api/designs/ana/ohloom' })).json();
    expect(design).toMatchObject({
      title: 'OHLOOM',
      summary:
        'The Open Hardware Loom is a simple, hand-operated weaving loom made of wood, screws and 3D printed plastic pieces.',
      licenses: { hardware: 'CC-BY-SA-4.0' },
    });
  });

  it('imports a lone OKH-LOSH 2.x okh.toml: tables, lists and fork-of mapped, missing files are warnings', async () => {
    const r = await post([{ name: 'okh.toml', bytes: loshV2Toml }]);
    expect(r.statusCode).toBe(201);
    const [d] = r.json().designs;
    expect(d).toMatchObject({ slug: 'brick-press-mini', version: '2.1.0' });
    expect(d.warnings).toEqual(['the BOM "bom.csv" named by the manifest is not in the upload']);
    const m = (await versionDoc('ana', 'brick-press-mini')).manifest;
    expect(m).toMatchObject({
      'fork-of': 'https://example.org/ose/brick-press',
      licensor: 'Ana Ferreira <ana@example.org>',
      'documentation-language': ['en', 'es'],
      'outer-dimensions': { width: 900, depth: 600, height: 1250.5, unit: 'mm' },
      mass: { value: 48500, unit: 'g' },
      'standard-compliance': ['DIN EN 1335', 'ISO 1337'],
      readiness: { technology: 'OTRL-4', documentation: 'ODRL-2' },
      'manufacturing-instructions': ['docs/assembly.md', 'https://example.org/video'],
      source: ['cad/press.FCStd'],
      image: [{ location: 'photos/press.jpg', depicts: 'The press on a pallet', slots: ['photo-thing-main'] }],
      'x-workshop-note': 'kept as written',
    });
    expect(m.part[0]).toEqual({
      name: 'Lever',
      source: 'cad/lever.FCStd',
      mass: 3200,
      'outer-dimensions': { width: 1200, depth: 40, height: 40 },
    });
  });

  it('imports an OKH v1 YAML manifest: title, description, licences per part, licensor, instructions, safety', async () => {
    const r = await post([
      {
        name: 'heater.zip',
        bytes: zip({
          'heater/okh.yml': okhV1Yaml,
          'heater/bom.csv': 'Qty,Name\n1,Tank 150 l\n2,Fridge grille\n',
          'heater/docs/build.md': '# Build\n',
        }),
      },
    ]);
    expect(r.statusCode).toBe(201);
    const [d] = r.json().designs;
    expect(d).toMatchObject({ slug: 'solar-water-heater', version: '1.2.0' });
    expect(d.warnings).toEqual(['image is missing', 'version "v1.2" is not semver; published as 1.2.0']);
    const doc = await versionDoc('ana', 'solar-water-heater');
    expect(doc.manifest).toMatchObject({
      title: 'Solar Water Heater',
      summary: 'A thermosiphon solar water heater built from a recycled fridge grille and a 150 l tank.',
      function: 'Heats water for a household of four in sunny climates without a pump.',
      tags: ['solar', 'water', 'thermosiphon'],
      licenses: { hardware: 'CERN-OHL-P-2.0', documentation: 'CC-BY-4.0' },
      licensor: 'Ben Okafor <ben@example.org>',
      'manufacturing-instructions': 'docs/build.md',
      source: ['cad/collector.step'],
      safety: ['Water above 60 °C scalds; fit a tempering valve before the tap.'],
      'fork-of': 'https://example.org/fridge-heater',
      readiness: { technology: 'OTRL-4' },
      'standard-compliance': ['ISO 9806'],
      repo: 'https://example.org/solar-heater',
      'manifest-author': { name: 'Ben Okafor', email: 'ben@example.org' },
    });
    expect(doc.bom.lines).toBe(2);
    expect((await t.app.inject({ url: '/api/designs/ana/solar-water-heater' })).json().tags).toEqual([
      'solar',
      'water',
      'thermosiphon',
    ]);
  });

  it('imports a Kitspace project: title from the folder, version 0.1.0 and NOASSERTION with warnings, 1-click BOM', async () => {
    const r = await post([
      {
        name: 'upload.zip',
        bytes: zip({
          'usb-c-breakout/kitspace.yaml': kitspaceYaml,
          'usb-c-breakout/1-click-bom.tsv': oneClickBom,
          'usb-c-breakout/README.md': '# USB-C breakout\n',
          'usb-c-breakout/gerbers/board-F_Cu.gbr': gerber('top copper'),
          'usb-c-breakout/usb-c-breakout.kicad_pcb': '(kicad_pcb (version 20221018))\n',
        }),
      },
    ]);
    expect(r.statusCode).toBe(201);
    const [d] = r.json().designs;
    expect(d).toMatchObject({ slug: 'usb-c-breakout', version: '0.1.0' });
    expect(d.warnings).toEqual([
      'Kitspace has no version field',
      'name is missing; the title "usb-c-breakout" comes from the folder name',
      'version is missing; published as 0.1.0',
      'no licence is given; exported as NOASSERTION',
    ]);
    const doc = await versionDoc('ana', 'usb-c-breakout');
    expect(doc.files.map((f: any) => f.path)).toEqual([
      'README.md',
      'gerbers/board-F_Cu.gbr',
      'usb-c-breakout.kicad_pcb',
    ]);
    expect(doc.bom).toMatchObject({ filename: '1-click-bom.tsv', lines: 2 });
    expect(doc.manifest).toMatchObject({
      summary: 'A USB-C power breakout with a 3.3 V regulator.',
      site: 'https://example.org/usb-c-breakout',
      color: 'blue',
      gerbers: 'gerbers/',
      eda: { type: 'kicad', pcb: 'usb-c-breakout.kicad_pcb' },
    });
    expect(doc.manifest.licenses).toEqual({});
    const toml = await t.app.inject({ url: '/api/designs/ana/usb-c-breakout/versions/0.1.0/okh.toml' });
    expect(toml.statusCode).toBe(200);
    expect(toml.body).toContain('license = "NOASSERTION"');
  });

  it('imports a Kitspace multi-project file as one design per project, each with its own folder', async () => {
    const files: Record<string, string> = { 'kitspace.yaml': kitspaceMultiYaml };
    for (const side of ['left', 'right']) {
      files[`${side}-hand/1-click-bom.tsv`] = oneClickBom;
      files[`${side}-hand/gerbers/${side}-F_Cu.gbr`] = gerber(side);
      files[`${side}-hand/${side}.kicad_pcb`] = `(kicad_pcb ${side})\n`;
    }
    const r = await post([{ name: 'split-keyboard.zip', bytes: zip(files) }]);
    expect(r.statusCode).toBe(201);
    expect(r.json().designs.map((d: any) => [d.slug, d.version])).toEqual([
      ['left-hand', '0.1.0'],
      ['right-hand', '0.1.0'],
    ]);
    const right = await versionDoc('ana', 'right-hand');
    expect(right.files.map((f: any) => f.path)).toEqual(['gerbers/right-F_Cu.gbr', 'right.kicad_pcb']);
    expect(right.manifest).toMatchObject({
      summary: 'Right half of a split keyboard.',
      gerbers: 'gerbers',
      eda: { type: 'kicad', pcb: 'right.kicad_pcb' },
    });
    expect(right.bom.lines).toBe(2);
  });

  it('imports a kitspace.yaml uploaded alone that only names its BOM and gerbers, saying what was not uploaded', async () => {
    const yaml = 'bom: bom/1-click-bom.tsv\ngerbers: gerbers/\n';
    const alone = await post([{ name: 'kitspace.yaml', bytes: yaml }]);
    expect(alone.statusCode).toBe(201);
    const [d] = alone.json().designs;
    expect(d).toMatchObject({ owner: 'ana', slug: 'kitspace-project', version: '0.1.0' });
    expect(d.warnings).toEqual([
      'summary is missing',
      'Kitspace has no version field',
      'name is missing; titled "Kitspace project"',
      'version is missing; published as 0.1.0',
      'no licence is given; exported as NOASSERTION',
      'the BOM "bom/1-click-bom.tsv" named by the manifest is not in the upload',
      'the folder "gerbers/" named by the manifest is not in the upload',
    ]);
    const doc = await versionDoc('ana', 'kitspace-project');
    expect(doc.files).toEqual([]);
    expect(doc.manifest).toMatchObject({ gerbers: 'gerbers/' });
    expect((await t.app.inject({ url: '/api/designs/ana/kitspace-project' })).json().title).toBe('Kitspace project');

    // a file name that carries its folder (a browser's folder upload) names the design; what was uploaded is not listed
    const inFolder = await post([
      { name: 'lamp-driver/kitspace.yaml', bytes: yaml },
      { name: 'lamp-driver/gerbers/F_Cu.gbr', bytes: gerber('top') },
    ]);
    expect(inFolder.statusCode).toBe(201);
    const [l] = inFolder.json().designs;
    expect(l.slug).toBe('lamp-driver');
    expect(l.warnings).toContain('name is missing; the title "lamp-driver" comes from the folder name');
    expect(l.warnings).toContain('the BOM "bom/1-click-bom.tsv" named by the manifest is not in the upload');
    expect(l.warnings.filter((w: string) => w.includes('gerbers'))).toEqual([]);
    expect((await versionDoc('ana', 'lamp-driver')).files.map((f: any) => f.path)).toEqual(['gerbers/F_Cu.gbr']);
  });

  it('gives a taken slug a suffix instead of a 409', async () => {
    const okh =
      'okhv = "OKH-LOSHv1.0"\nname = "Test Clamp"\nrepo = "https://example.org/clamp"\nversion = "0.1.0"\nlicense = "CERN-OHL-S-2.0"\nlicensor = "Test"\nfunction = "Holds things"\n';
    const slugs = [];
    for (let i = 0; i < 3; i++) {
      const r = await post([{ name: 'okh.toml', bytes: okh }]);
      expect(r.statusCode).toBe(201);
      slugs.push(r.json().designs[0].slug);
    }
    expect(slugs).toEqual(['test-clamp', 'test-clamp-2', 'test-clamp-3']);
  });

  it('keeps an invalid licence out with a warning and exports it as NOASSERTION', async () => {
    const okh =
      'okhv = "OKH-LOSHv1.0"\nname = "Odd Licence"\nversion = "1.0.0"\nlicense = "Free for makers"\nfunction = "A bracket."\n';
    const r = await post([{ name: 'okh-odd.toml', bytes: okh }]);
    expect(r.statusCode).toBe(201);
    expect(r.json().designs[0].warnings).toContain(
      'the hardware licence "Free for makers" is not an SPDX expression; it is left out and exported as NOASSERTION',
    );
    const toml = await t.app.inject({ url: '/api/designs/ana/odd-licence/versions/1.0.0/okh.toml' });
    expect(toml.body).toContain('license = "NOASSERTION"');
  });

  it('words its warnings in the request’s language: Spanish, the unreadable BOM’s reason too; English unchanged', async () => {
    const okh =
      'okhv = "OKH-LOSHv1.0"\nversion = "v2"\nlicense = "Free for makers"\nfunction = "A press."\nbom = "bom.json"\n';
    const parts = [
      { name: 'okh-tile-press.toml', bytes: okh },
      { name: 'bom.json', bytes: '{"parts": "none"}' },
    ];
    const { payload, headers } = await formPayload(importForm(parts));
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/import',
      headers: { ...headers, ...ana.auth, 'accept-language': 'es-ES,es;q=0.9' },
      payload,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['content-language']).toBe('es');
    expect(String(r.headers.vary)).toMatch(/accept-language/i);
    const spanish = translator('problems', 'es');
    const reason = translator('bomWarnings', 'es')('jsonNotABom');
    expect(reason).not.toMatch(/expected/);
    // the reader's missing fields first (licensor, image…), then the import's own
    expect(r.json().designs[0].warnings).toContain('falta licensor');
    expect(r.json().designs[0].warnings.slice(-4)).toEqual([
      spanish('importWarnings.titleFrom', { title: 'tile-press', from: 'file' }),
      'la versión «v2» no sigue semver; se publica como 2.0.0',
      'la licencia de hardware «Free for makers» no es una expresión SPDX; se omite y se exporta como NOASSERTION',
      `la lista de materiales «bom.json» no se puede leer como lista de piezas (${reason}); se guarda como archivo normal`,
    ]);
    expect(r.json().designs[0].warnings.at(-4)).toBe(
      'falta el nombre; el título «tile-press» se toma del nombre del archivo',
    );

    const english = await post([{ name: 'okh-tile-press.toml', bytes: okh }, parts[1]!]);
    expect(english.statusCode).toBe(201);
    expect(english.json().designs[0].warnings).toContain('licensor is missing');
    expect(english.json().designs[0].warnings.slice(-4)).toEqual([
      'name is missing; the title "tile-press" comes from the file name',
      'version "v2" is not semver; published as 2.0.0',
      'the hardware licence "Free for makers" is not an SPDX expression; it is left out and exported as NOASSERTION',
      'the BOM "bom.json" cannot be read as a parts list (not a BOM in JSON: expected {"lines": [...]} or a list of lines); it is kept as a plain file',
    ]);
  });

  it('recognises manifests by content, not name, and titles a nameless one from the file name', async () => {
    const r = await post([
      {
        name: 'okh-bench-vice.txt',
        bytes: 'okhv = "OKH-LOSHv1.0"\nversion = "1.0.0"\nfunction = "Holds work on a bench."\n',
      },
    ]);
    expect(r.statusCode).toBe(201);
    expect(r.json().designs[0]).toMatchObject({ slug: 'bench-vice' });
    expect(r.json().designs[0].warnings).toContain('name is missing; the title "bench-vice" comes from the file name');
  });

  it('answers 422 only when nothing usable can be derived', async () => {
    const notManifest = await post([{ name: 'okh.toml', bytes: 'just some notes, not a manifest\n' }]);
    expect(notManifest.statusCode).toBe(422);
    expect(isProblem(notManifest)).toBe(true);
    const empty = await post([{ name: 'okh.toml', bytes: 'okhv = "OKH-LOSHv1.0"\n' }]);
    expect(empty.statusCode).toBe(422);
    const noManifest = await post([{ name: 'stuff.zip', bytes: zip({ 'a/notes.txt': 'hello' }) }]);
    expect(noManifest.statusCode).toBe(422);
    expect(noManifest.json().detail).toMatch(/No manifest found/);
    const anon = await formPayload(importForm([{ name: 'okh.toml', bytes: loshV2Toml }]));
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/import', headers: anon.headers, payload: anon.payload }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses a zip whose entries climb out of the project', async () => {
    const evil = zip({ 'okh.toml': loshV2Toml });
    // rename the entry in place to "../okh.tom" (same length) in both the local header and the central directory
    const bytes = Buffer.from(evil);
    for (let i = bytes.indexOf('okh.toml'); i >= 0; i = bytes.indexOf('okh.toml', i + 1)) bytes.write('../okh.t', i);
    const r = await post([{ name: 'evil.zip', bytes }]);
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toMatch(/"\.\.\/okh\.t"/);
  });
});
