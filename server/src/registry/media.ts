// What a file is by its name: media type for downloads and its role in a design (cad, drawing, doc, image, other).
import mime from 'mime-types';

const cadTypes: Record<string, string> = {
  stl: 'model/stl',
  obj: 'model/obj',
  ply: 'application/x-ply',
  '3mf': 'model/3mf',
  glb: 'model/gltf-binary',
  gltf: 'model/gltf+json',
  step: 'model/step',
  stp: 'model/step',
  iges: 'model/iges',
  igs: 'model/iges',
  brep: 'application/x-brep',
  brp: 'application/x-brep',
  fcstd: 'application/x-freecad',
  dxf: 'image/vnd.dxf',
};
const roles: Record<string, string> = {
  stl: 'cad',
  obj: 'cad',
  ply: 'cad',
  '3mf': 'cad',
  glb: 'cad',
  gltf: 'cad',
  step: 'cad',
  stp: 'cad',
  iges: 'cad',
  igs: 'cad',
  brep: 'cad',
  brp: 'cad',
  fcstd: 'cad',
  dxf: 'drawing',
  svg: 'drawing',
  pdf: 'doc',
  md: 'doc',
  txt: 'doc',
  html: 'doc',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  webp: 'image',
  gif: 'image',
  avif: 'image',
  tif: 'image',
  tiff: 'image',
  heic: 'image',
};

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function describeFile(path: string): { mediaType: string; format: string | null; role: string } {
  const ext = extensionOf(path);
  const mediaType = cadTypes[ext] ?? (mime.lookup(path) || 'application/octet-stream');
  return { mediaType, format: ext || null, role: roles[ext] ?? 'other' };
}

// Served inline only when a browser cannot run them: raster images. Everything else downloads.
const inlineSafe = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif']);
export const isInlineSafe = (mediaType: string) => inlineSafe.has(mediaType);
