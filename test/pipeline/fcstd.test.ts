// FreeCAD documents: what a FreeCAD user sees is drawn (visible shapes, Body not its features, no sketches,
// datums, hidden or empty objects), GuiDocument visibility with a Document.xml fallback, per-face colours.
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readCad } from '../../server/src/cad/read.js';
import { drawnObjects, parseDocumentXml } from '../../server/src/cad/fcstd.js';
import { defaultReadLimits } from '../../server/src/cad/types.js';
import { renderPreview } from '../../server/src/render/preview.js';
import { buildFcstd, fixtureFcstd } from '../fixtures/fcstd.js';

describe('FreeCAD .FCStd', () => {
  it('draws the visible Body and the plate only: exact facts', async () => {
    const r = await readCad(fixtureFcstd(), 'bracket.FCStd', defaultReadLimits);
    expect(r.facts).toEqual({
      format: 'fcstd',
      triangles: 24,
      parts: 2,
      bbox: { min: [0, 0, 0], max: [30, 40, 5] },
      area: 2 * (20 * 10 + 20 * 5 + 10 * 5) + 2 * (30 * 20 + 30 * 2 + 20 * 2),
      volume: 1000 + 1200,
      watertight: true,
    });
    expect(r.mesh.parts.map((p) => p.name)).toEqual(['Bracket', 'Plate']);
    expect(r.mesh.parts[0].color).toEqual([0.2, 0.4, 0.8]);
  });

  it('per-face colours of the plate reach the preview', async () => {
    const r = await readCad(fixtureFcstd(), 'bracket.FCStd', defaultReadLimits);
    expect(r.mesh.colors).toBeDefined();
    const plateColours = new Set<string>();
    for (let t = r.mesh.parts[1].start; t < r.mesh.parts[1].start + 12; t++)
      plateColours.add(Array.from(r.mesh.colors!.subarray(t * 4, t * 4 + 3)).join(','));
    expect(plateColours.size).toBe(6);
    const { rgba } = renderPreview(r.mesh, { size: 256 });
    // pure-ish saturated colours of the faces show up (shaded), which the default palette never produces
    let saturated = 0;
    for (let i = 0; i < rgba.length; i += 4)
      if (Math.max(rgba[i], rgba[i + 1], rgba[i + 2]) - Math.min(rgba[i], rgba[i + 1], rgba[i + 2]) > 150) saturated++;
    expect(saturated).toBeGreaterThan(200);
  });

  it('without GuiDocument.xml, Document.xml visibility decides (same objects)', async () => {
    const r = await readCad(fixtureFcstd({ withGui: false }), 'bracket.FCStd', defaultReadLimits);
    expect(r.mesh.parts.map((p) => p.name)).toEqual(['Bracket', 'Plate']);
    expect(r.mesh.colors).toBeUndefined();
  });

  it('selection rules: Body members, sketches, datums, hidden and members of hidden App::Parts are left out', () => {
    const objects = parseDocumentXml(
      new TextDecoder().decode(
        // Document.xml of a small document, through the fixture builder's zip
        unzipSync(
          buildFcstd(
            [
              { name: 'Part', type: 'App::Part', visible: false, group: ['Inner'] },
              { name: 'Inner', type: 'Part::Box', shape: { name: 'i', min: [0, 0, 0], max: [1, 1, 1] } },
              { name: 'Free', type: 'Part::Box', shape: { name: 'f', min: [0, 0, 0], max: [1, 1, 1] } },
              { name: 'Line', type: 'PartDesign::Line', shape: { name: 'l', min: [0, 0, 0], max: [1, 1, 1] } },
            ],
            { withGui: false },
          ),
        )['Document.xml'],
      ),
    );
    expect(drawnObjects(objects, undefined).map((o) => o.name)).toEqual(['Free']);
  });

  it('a document with nothing visible to draw fails with the reason', async () => {
    const only = buildFcstd([
      { name: 'Sketch', type: 'Sketcher::SketchObject', shape: { name: 's', min: [0, 0, 0], max: [1, 1, 1] } },
      { name: 'Box', type: 'Part::Box', shape: { name: 'b', min: [0, 0, 0], max: [1, 1, 1] }, visible: false },
    ]);
    await expect(readCad(only, 'x.FCStd', defaultReadLimits)).rejects.toThrow(/no visible solid or surface to draw/);
  });
});
