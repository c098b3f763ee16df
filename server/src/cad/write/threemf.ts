// 3MF writer: a zip (fflate) with one mesh object per part and a build item for each, in millimetres.
import { strToU8, zipSync } from 'fflate';
import type { Mesh } from '../types.js';
import { partPositions } from '../mesh.js';
import { weldVertices } from '../weld.js';

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
  <Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>
</Types>
`;

const RELS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>
</Relationships>
`;

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function hex(c: [number, number, number]): string {
  return (
    '#' +
    c
      .map((v) =>
        Math.round(Math.min(1, Math.max(0, v)) * 255)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
      .toUpperCase()
  );
}

/** The 3D/3dmodel.model XML for a mesh (exported for tests that build unusual 3MF packages). */
export function threeMfModelXml(mesh: Mesh): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<model unit="millimeter" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">',
    '  <resources>',
  ];
  const colored = mesh.parts.some((p) => p.color);
  if (colored) {
    out.push('    <basematerials id="1">');
    for (const p of mesh.parts)
      out.push(`      <base name="${escapeXml(p.name)}" displaycolor="${hex(p.color ?? [0.7, 0.7, 0.7])}"/>`);
    out.push('    </basematerials>');
  }
  mesh.parts.forEach((part, i) => {
    const id = i + 2;
    const { vertices, index } = weldVertices(partPositions(mesh, part));
    const mat = colored ? ` pid="1" pindex="${i}"` : '';
    out.push(
      `    <object id="${id}" type="model" name="${escapeXml(part.name)}"${mat}>`,
      '      <mesh>',
      '        <vertices>',
    );
    for (let v = 0; v < vertices.length; v += 3) {
      out.push(`          <vertex x="${vertices[v]}" y="${vertices[v + 1]}" z="${vertices[v + 2]}"/>`);
    }
    out.push('        </vertices>', '        <triangles>');
    for (let t = 0; t < index.length; t += 3)
      out.push(`          <triangle v1="${index[t]}" v2="${index[t + 1]}" v3="${index[t + 2]}"/>`);
    out.push('        </triangles>', '      </mesh>', '    </object>');
  });
  out.push('  </resources>', '  <build>');
  mesh.parts.forEach((_p, i) => out.push(`    <item objectid="${i + 2}"/>`));
  out.push('  </build>', '</model>', '');
  return out.join('\n');
}

/**
 * A fixed entry time (2024-01-01, local DOS time): the same mesh always gives the same bytes, so the
 * same sha256 and blob, instead of a zip stamped with the moment it was written.
 */
const ZIP_MTIME = new Date(2024, 0, 1, 0, 0, 0);

/** Package a model XML as a 3MF zip. */
export function zip3mf(modelXml: string, extra: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync(
    {
      '[Content_Types].xml': strToU8(CONTENT_TYPES),
      '_rels/.rels': strToU8(RELS),
      '3D/3dmodel.model': strToU8(modelXml),
      ...extra,
    },
    { mtime: ZIP_MTIME },
  );
}

export function write3mf(mesh: Mesh): Uint8Array {
  return zip3mf(threeMfModelXml(mesh));
}
