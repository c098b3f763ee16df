// Format detection by content (magic bytes, text signatures), with the file extension only as a hint.

export type CadFormat =
  'stl' | 'obj' | 'ply' | '3mf' | 'glb' | 'gltf' | 'step' | 'iges' | 'brep' | 'fcstd' | 'dxf' | 'image';

const BY_EXTENSION: Record<string, CadFormat> = {
  stl: 'stl',
  obj: 'obj',
  ply: 'ply',
  '3mf': '3mf',
  glb: 'glb',
  gltf: 'gltf',
  step: 'step',
  stp: 'step',
  p21: 'step',
  iges: 'iges',
  igs: 'iges',
  brep: 'brep',
  brp: 'brep',
  fcstd: 'fcstd',
  dxf: 'dxf',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  webp: 'image',
  gif: 'image',
  tif: 'image',
  tiff: 'image',
  avif: 'image',
  heic: 'image',
  heif: 'image',
  bmp: 'image',
};

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < Math.min(end, bytes.length); i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function startsWith(bytes: Uint8Array, sig: number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[at + i] !== sig[i]) return false;
  return true;
}

function isImage(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return true; // PNG
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return true; // JPEG
  if (ascii(bytes, 0, 4) === 'GIF8') return true;
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return true;
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return true; // TIFF
  if (ascii(bytes, 4, 8) === 'ftyp' && /^(avif|avis|heic|heix|heim|heis|hevc|mif1|msf1)$/.test(ascii(bytes, 8, 12)))
    return true;
  return false;
}

/** Names in a zip's central directory (no inflating), at most `max`. */
function zipNames(bytes: Uint8Array, max = 2000): string[] {
  const names: string[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let e = -1;
  for (let i = bytes.length - 22; i >= 0 && bytes.length - i <= 65557; i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      e = i;
      break;
    }
  }
  if (e < 0) return names;
  let o = dv.getUint32(e + 16, true);
  const count = dv.getUint16(e + 10, true);
  for (let k = 0; k < Math.min(count, max) && o + 46 <= bytes.length; k++) {
    if (dv.getUint32(o, true) !== 0x02014b50) break;
    const nameLen = dv.getUint16(o + 28, true);
    names.push(ascii(bytes, o + 46, o + 46 + nameLen));
    o += 46 + nameLen + dv.getUint16(o + 30, true) + dv.getUint16(o + 32, true);
  }
  return names;
}

function hasControlBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < Math.min(bytes.length, 4096); i++) if (bytes[i] < 9) return true;
  return false;
}

export function detectFormat(bytes: Uint8Array, filename: string): CadFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  const hint = BY_EXTENSION[ext] ?? null;
  if (isImage(bytes)) return 'image';
  if (ascii(bytes, 0, 4) === 'glTF') return 'glb';
  if (/^ply\r?\n/.test(ascii(bytes, 0, 5))) return 'ply';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    const names = zipNames(bytes);
    if (names.some((n) => /^3D\/.*\.model$/i.test(n))) return '3mf';
    if (names.includes('Document.xml')) return 'fcstd';
    return hint === '3mf' || hint === 'fcstd' ? hint : null;
  }
  // binary STL: the size is exactly what the header's triangle count needs
  if (bytes.length >= 84) {
    const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
    if (84 + 50 * n === bytes.length) return 'stl';
  }
  const head = ascii(bytes, 0, 4096);
  const text = head.trimStart();
  if (/^ISO-10303-21\s*;/.test(text)) return 'step';
  if (/^(DBRep_DrawableShape|CASCADE Topology V)/.test(text)) return 'brep';
  if (/^AutoCAD Binary DXF/.test(head) || /^0\s*\r?\n\s*SECTION\b/.test(text) || /^999\s*\r?\n/.test(text))
    return 'dxf';
  const firstLine = head.split(/\r?\n/)[0];
  if (firstLine.length >= 73 && firstLine[72] === 'S' && /^\s*\d+\s*$/.test(firstLine.slice(73, 80) || '1'))
    return 'iges';
  if (/^solid\b/i.test(text) && /\bfacet\b/i.test(head)) return 'stl';
  if (/^\{/.test(text) && /"asset"\s*:/.test(head)) return 'gltf';
  if (!hasControlBytes(bytes) && /^v\s+[-+.\d]/m.test(head) && /^(f|o|g|vn|vt|mtllib)\s/m.test(head)) return 'obj';
  if (/^solid\b/i.test(text)) return 'stl'; // an ASCII STL without facets: let the reader say it is empty
  return hint;
}
