// Every reader reads back what the writers wrote: triangle count, bbox, parts; units, transforms, extensions.
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../server/src/cad/detect.js';
import { readCad } from '../../server/src/cad/read.js';
import { readThreeMf } from '../../server/src/cad/threemf.js';
import { defaultReadLimits } from '../../server/src/cad/types.js';
import * as THREE from 'three';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import {
  threeMfModelXml,
  writeGlb,
  writeGltfSeparate,
  writePly,
  writeStlAscii,
  writeStlBinary,
  zip3mf,
} from '../../server/src/cad/write/index.js';
import { meshoptFromBytes } from '../../server/src/cad/write/gltf.js';
import { cubeMesh, fixtureFiles, fixtureMeshes } from '../fixtures/cad.js';
import { glbJson, withGlbJson } from '../fixtures/glb.js';

const limits = defaultReadLimits;

describe('readers round-trip every fixture', async () => {
  for (const [name, mesh] of Object.entries(fixtureMeshes())) {
    const triangles = mesh.positions.length / 9;
    for (const file of await fixtureFiles(name, mesh)) {
      it(`${file.name}: ${triangles} triangles and the same bbox`, async () => {
        const r = await readCad(file.bytes, file.name, limits, { siblings: (p) => file.siblings?.[p] });
        expect(r.facts.triangles).toBe(triangles);
        const want = fixtureMeshes()[name];
        const { computeFacts } = await import('../../server/src/cad/facts.js');
        const box = computeFacts(want, 'x').bbox;
        for (let k = 0; k < 3; k++) {
          expect(r.facts.bbox.min[k]).toBeCloseTo(box.min[k], 3);
          expect(r.facts.bbox.max[k]).toBeCloseTo(box.max[k], 3);
        }
        if (name === 'cube') expect(r.facts.volume).toBeCloseTo(1000, 3);
      });
    }
  }
});

describe('format details', () => {
  it('assembly parts keep their names in OBJ, 3MF and GLB', async () => {
    const files = await fixtureFiles('assembly', fixtureMeshes().assembly);
    for (const ext of ['.obj', '.3mf', '.glb']) {
      const f = files.find((x) => x.name.endsWith(ext))!;
      const r = await readCad(f.bytes, f.name, limits);
      expect(r.mesh.parts.map((p) => p.name.replace('_', ' '))).toEqual(['base plate', 'pin']);
    }
  });

  it('ASCII STL keywords in capitals (FACET, ENDSOLID) are read', async () => {
    const text = writeStlAscii(cubeMesh()).replace(/facet|endsolid|vertex|outer loop|endloop/g, (w) => w.toUpperCase());
    const r = await readCad(strToU8(text), 'cube.stl', limits);
    expect(r.facts.triangles).toBe(12);
  });

  it('a binary STL whose header starts with "solid" is read as binary', async () => {
    const r = await readCad(writeStlBinary(cubeMesh(), 'solid cube exported by a tool'), 'cube.stl', limits);
    expect(r.facts.triangles).toBe(12);
  });

  it('OBJ: negative indices and quads are triangulated', async () => {
    const obj = 'o quad\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf -4 -3 -2 -1\n';
    const r = await readCad(strToU8(obj), 'quad.obj', limits);
    expect(r.facts.triangles).toBe(2);
    expect(r.facts.area).toBeCloseTo(1, 6);
  });

  it('PLY without faces is a point cloud', async () => {
    const ply =
      'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n1 0 0\n0 2 3\n';
    const r = await readCad(strToU8(ply), 'scan.ply', limits);
    expect(r.facts.points).toBe(3);
    expect(r.mesh.points?.length).toBe(9);
  });

  it('ASCII PLY: values a line carries beyond the declared properties (VCG writers) are read past, with a warning', async () => {
    // the cube as written, then a colour and quality after each face's indices, as MeshLab-family tools do
    const plain = writePly(cubeMesh()).toString('latin1');
    const [head, body] = plain.split('end_header\n');
    let face = 0;
    const vcg =
      head +
      'end_header\n' +
      body
        .split('\n')
        .map((line) => (line.startsWith('3 ') ? `${line} 0.599829 0.1 0.2${face++ % 2 ? ' 255' : ''}` : line))
        .join('\r\n');
    expect(face).toBe(12);
    const r = await readCad(strToU8(vcg), 'scan.ply', limits);
    expect(r.facts.triangles).toBe(12);
    expect(r.facts.volume).toBeCloseTo(1000, 3);
    expect(r.facts.warnings).toEqual([
      '12 face line(s) carry values the PLY header does not declare (face 0: 3 more); they were ignored',
    ]);
    // a clean file has no warnings, and a row the header declares longer than its line still continues on the next one
    expect((await readCad(strToU8(plain), 'cube.ply', limits)).facts.warnings).toBeUndefined();
    const wrapped =
      'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0\n0\n0 1 0\n3 0\n1 2\n';
    const w = await readCad(strToU8(wrapped), 'wrapped.ply', limits);
    expect(w.facts.triangles).toBe(1);
    expect(w.facts.warnings).toBeUndefined();
    // a file that ends early is still refused, trailing values or not
    const cut = vcg.slice(0, vcg.lastIndexOf('\r\n3 '));
    await expect(readCad(strToU8(cut), 'cut.ply', limits)).rejects.toThrow('it is truncated');
  });

  it('STL units from the manifest convert to mm', async () => {
    const r = await readCad(writeStlBinary(cubeMesh(1)), 'inch-cube.stl', limits, { units: 'inch' });
    expect(r.facts.bbox.max[0]).toBeCloseTo(25.4, 4);
  });

  it('3MF: an object with a m:colorgroup extension element keeps its object and colour', () => {
    const xml = threeMfModelXml(cubeMesh())
      .replace('<model ', '<model xmlns:m="http://schemas.microsoft.com/3dmanufacturing/material/2015/02" ')
      .replace('<resources>', '<resources>\n<m:colorgroup id="9"><m:color color="#FF0000FF"/></m:colorgroup>')
      .replace(
        '<object id="2" type="model" name="cube">',
        '<object id="2" type="model" name="cube" pid="9" pindex="0">',
      );
    const r = readThreeMf(zip3mf(xml), limits);
    expect(r.facts.triangles).toBe(12);
    expect(r.mesh.parts[0].color).toEqual([1, 0, 0]);
  });

  it('3MF: build-item transforms and units are applied', () => {
    const xml = threeMfModelXml(cubeMesh())
      .replace('unit="millimeter"', 'unit="centimeter"')
      .replace('<item objectid="2"/>', '<item objectid="2" transform="2 0 0 0 1 0 0 0 1 5 0 0"/>');
    const r = readThreeMf(zip3mf(xml), limits);
    expect(r.units).toBe('centimeter');
    // x scaled ×2 then moved +5 cm; all in mm
    expect(r.facts.bbox.min).toEqual([50, 0, 0]);
    expect(r.facts.bbox.max).toEqual([250, 100, 100]);
  });

  it('3MF: components are expanded with their transforms', () => {
    const xml = threeMfModelXml(cubeMesh())
      .replace(
        '</resources>',
        '<object id="7" type="model" name="pair"><components><component objectid="2"/><component objectid="2" transform="1 0 0 0 1 0 0 0 1 20 0 0"/></components></object></resources>',
      )
      .replace('<item objectid="2"/>', '<item objectid="7"/>');
    const r = readThreeMf(zip3mf(xml), limits);
    expect(r.facts.triangles).toBe(24);
    expect(r.facts.bbox.max[0]).toBe(30);
  });

  it('glTF metres become mm and a missing .bin is named', async () => {
    const sep = await writeGltfSeparate(cubeMesh(), 'cube.bin');
    const r = await readCad(strToU8(sep.gltf), 'cube.gltf', limits, {
      siblings: (p) => (p === 'cube.bin' ? sep.bin : undefined),
    });
    expect(JSON.parse(sep.gltf).accessors[0].max[0]).toBeCloseTo(0.01, 6);
    expect(r.facts.bbox.max).toEqual([10, 10, 10]);
    await expect(readCad(strToU8(sep.gltf), 'cube.gltf', limits)).rejects.toThrow(/cube\.bin/);
  });

  it('glTF with a data: buffer', async () => {
    const sep = await writeGltfSeparate(cubeMesh(), 'cube.bin');
    const json = JSON.parse(sep.gltf);
    json.buffers[0].uri = 'data:application/octet-stream;base64,' + Buffer.from(sep.bin).toString('base64');
    const r = await readCad(strToU8(JSON.stringify(json)), 'cube.gltf', limits);
    expect(r.facts.triangles).toBe(12);
  });
});

describe('the web viewer GLB', () => {
  const model = () =>
    meshFromGeometry([
      { name: 'knot', geometry: new THREE.TorusKnotGeometry(40, 12, 200, 40) },
      { name: 'base', geometry: new THREE.BoxGeometry(120, 120, 8) },
    ]);

  it('is meshopt-compressed from a size on, smaller than the plain GLB, and reads back with its parts', async () => {
    const mesh = model();
    const plain = await writeGlb(mesh);
    const compact = await writeGlb(mesh, { compact: true });
    expect(plain.length).toBeGreaterThan(meshoptFromBytes);
    expect(glbJson(compact).extensionsUsed).toContain('EXT_meshopt_compression');
    expect(compact.length).toBeLessThan(plain.length / 4);
    const back = await readCad(compact, 'model.glb', limits);
    expect(back.facts.triangles).toBe(mesh.positions.length / 9);
    expect(back.mesh.parts.map((p) => p.name)).toEqual(['knot', 'base']);
    const { computeFacts } = await import('../../server/src/cad/facts.js');
    const want = computeFacts(mesh, 'x').bbox;
    // 16-bit positions: within 1/65535 of the model's size
    for (let k = 0; k < 3; k++) expect(Math.abs(back.facts.bbox.max[k] - want.max[k])).toBeLessThan(0.01);
  });

  it('a small model stays quantised only', async () => {
    const small = await writeGlb(cubeMesh(), { compact: true });
    expect(glbJson(small).extensionsUsed ?? []).not.toContain('EXT_meshopt_compression');
  });

  it('a compressed GLB that would decode to more than the limit, or whose streams lie about their size, is refused', async () => {
    const compact = await writeGlb(model(), { compact: true });
    const json = glbJson(compact);
    const fallback = json.buffers.findIndex((b: any) => b.extensions?.EXT_meshopt_compression?.fallback);
    expect(fallback).toBeGreaterThanOrEqual(0);
    const huge = structuredClone(json);
    huge.buffers[fallback].byteLength = 4 * 1024 ** 3;
    await expect(readCad(withGlbJson(compact, huge), 'm.glb', limits)).rejects.toThrow(/decode to more than/);
    const lying = structuredClone(json);
    const view = lying.bufferViews.find((v: any) => v.extensions?.EXT_meshopt_compression);
    view.extensions.EXT_meshopt_compression.count *= 1000;
    await expect(readCad(withGlbJson(compact, lying), 'm.glb', limits)).rejects.toThrow(/compressed bytes/);
  });
});

describe('detectFormat', () => {
  it('by content, not by name', async () => {
    const files = await fixtureFiles('cube', cubeMesh());
    const expected: Record<string, string> = {
      'cube.stl': 'stl',
      'cube-ascii.stl': 'stl',
      'cube.obj': 'obj',
      'cube.ply': 'ply',
      'cube-binary.ply': 'ply',
      'cube.3mf': '3mf',
      'cube.glb': 'glb',
      'cube.gltf': 'gltf',
    };
    for (const f of files) expect(detectFormat(f.bytes, 'upload.bin')).toBe(expected[f.name]);
    const stl = files.find((f) => f.name === 'cube-ascii.stl')!;
    expect(detectFormat(stl.bytes, 'model.obj')).toBe('stl');
    expect(detectFormat(writeStlBinary(cubeMesh()), 'model.obj')).toBe('stl');
  });

  it('other CAD and image signatures', () => {
    expect(detectFormat(strToU8('ISO-10303-21;\nHEADER;'), 'x')).toBe('step');
    expect(detectFormat(strToU8('0\nSECTION\n2\nHEADER\n'), 'x')).toBe('dxf');
    expect(detectFormat(strToU8(' '.repeat(72) + 'S      1\n'), 'x')).toBe('iges');
    expect(detectFormat(strToU8('DBRep_DrawableShape\n'), 'x')).toBe('brep');
    expect(detectFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'x.stl')).toBe('image');
    expect(detectFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'x')).toBe('image');
    expect(detectFormat(strToU8('hello'), 'notes.txt')).toBeNull();
  });
});
