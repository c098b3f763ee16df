// FreeCAD .FCStd reader: Document.xml + GuiDocument.xml say what a FreeCAD user sees; *.brp shapes via OpenCascade.
import { mergeMeshes } from './mesh.js';
import { readWithOcct } from './occt.js';
import { checkBytes, finishRead } from './result.js';
import { CadReadError, type Mesh, type ReadLimits, type ReadResult } from './types.js';
import { walkXml } from './xml.js';
import { unzipGuarded } from './zip.js';

export interface FreeCadObject {
  name: string;
  type: string;
  label: string;
  /** the `Shape` property's file (never AddSubShape and friends) */
  shapeFile?: string;
  /** Document.xml's own Visibility (FreeCAD ≥ 0.19), used when GuiDocument.xml is missing */
  visible?: boolean;
  /** links of a Group property (Body features, App::Part members) */
  group: string[];
}

export interface FreeCadView {
  visible?: boolean;
  /** ShapeColor, RGB 0..1 */
  color?: [number, number, number];
  /** DiffuseColor file name: one colour per face, or one for all */
  diffuseFile?: string;
}

/** Construction geometry and containers: never drawn as solids of their own. */
const NOT_DRAWN =
  /^(Sketcher::|App::(Origin|Line|Plane|Point|Part|DocumentObjectGroup|Link)|PartDesign::(Line|Plane|Point|CoordinateSystem|ShapeBinder|SubShapeBinder)|Part::(Part2DObject|Datum)|Spreadsheet::)/;

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : '');

/** Objects of Document.xml with their type, label, shape file, visibility and group links. */
export function parseDocumentXml(xml: string): FreeCadObject[] {
  const objects = new Map<string, FreeCadObject>();
  const get = (name: string) => {
    let o = objects.get(name);
    if (!o) objects.set(name, (o = { name, type: '', label: name, group: [] }));
    return o;
  };
  let section = '';
  let current: FreeCadObject | undefined;
  let property = '';
  walkXml(
    xml,
    {
      open(name, attrs) {
        if (name === 'Objects' || name === 'ObjectData') section = name;
        else if (name === 'Object' && attrs.name) {
          if (section === 'Objects') get(attrs.name).type = attrs.type ?? '';
          else if (section === 'ObjectData') current = get(attrs.name);
        } else if (name === 'Property' && current) property = attrs.name ?? '';
        else if (current && property) {
          if (property === 'Shape' && name === 'Part' && attrs.file) current.shapeFile = attrs.file;
          else if (property === 'Visibility' && name === 'Bool') current.visible = attrs.value === 'true';
          else if (property === 'Label' && name === 'String' && attrs.value) current.label = attrs.value;
          else if (property === 'Group' && name === 'Link' && attrs.value) current.group.push(attrs.value);
        }
      },
      close(name) {
        if (name === 'Property') property = '';
        else if (name === 'Object' && section === 'ObjectData') current = undefined;
        else if (name === 'Objects' || name === 'ObjectData') section = '';
      },
    },
    'FreeCAD Document.xml',
  );
  return [...objects.values()];
}

/** FreeCAD packs colours as 0xRRGGBBAA with AA the transparency. */
function unpackColor(v: number): [number, number, number] {
  return [((v >>> 24) & 255) / 255, ((v >>> 16) & 255) / 255, ((v >>> 8) & 255) / 255];
}

/** View providers of GuiDocument.xml: visibility, shape colour, per-face colour file. */
export function parseGuiDocumentXml(xml: string): Map<string, FreeCadView> {
  const views = new Map<string, FreeCadView>();
  let current: FreeCadView | undefined;
  let property = '';
  walkXml(
    xml,
    {
      open(name, attrs) {
        if (name === 'ViewProvider' && attrs.name) views.set(attrs.name, (current = {}));
        else if (name === 'Property' && current) property = attrs.name ?? '';
        else if (current && property) {
          if (property === 'Visibility' && name === 'Bool') current.visible = attrs.value === 'true';
          else if (property === 'ShapeColor' && name === 'PropertyColor' && attrs.value)
            current.color = unpackColor(Number(attrs.value) >>> 0);
          else if (property === 'DiffuseColor' && name === 'ColorList' && attrs.file) current.diffuseFile = attrs.file;
        }
      },
      close(name) {
        if (name === 'Property') property = '';
        else if (name === 'ViewProvider') current = undefined;
      },
    },
    'FreeCAD GuiDocument.xml',
  );
  return views;
}

/** A DiffuseColor file: uint32 count, then count packed colours (little endian). */
function parseColorList(bytes: Uint8Array | undefined): [number, number, number][] {
  if (!bytes || bytes.length < 4) return [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Math.min(dv.getUint32(0, true), (bytes.length - 4) / 4);
  const out: [number, number, number][] = [];
  for (let i = 0; i < n; i++) out.push(unpackColor(dv.getUint32(4 + i * 4, true)));
  return out;
}

/**
 * What FreeCAD would show: visible objects with a shape, minus construction geometry, minus the features
 * of a visible PartDesign Body (the Body's shape already is their result), minus members of hidden App::Parts.
 */
export function drawnObjects(objects: FreeCadObject[], views: Map<string, FreeCadView> | undefined): FreeCadObject[] {
  const byName = new Map(objects.map((o) => [o.name, o]));
  const visible = (o: FreeCadObject) => (views ? views.get(o.name)?.visible : undefined) ?? o.visible ?? true;
  const skipped = new Set<string>();
  const hideMembers = (o: FreeCadObject) => {
    for (const m of o.group) {
      if (skipped.has(m)) continue;
      skipped.add(m);
      const member = byName.get(m);
      if (member) hideMembers(member);
    }
  };
  for (const o of objects) {
    if (o.type === 'PartDesign::Body' && visible(o)) for (const m of o.group) skipped.add(m);
    if (o.type === 'App::Part' && !visible(o)) hideMembers(o);
  }
  return objects.filter((o) => o.shapeFile && !skipped.has(o.name) && !NOT_DRAWN.test(o.type) && visible(o));
}

/** A .brp with no topology (an empty shape FreeCAD still writes out). */
function isEmptyBrep(bytes: Uint8Array | undefined): boolean {
  return (
    !bytes || !/TShapes\s+[1-9]/.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'))
  );
}

export async function readFcstd(bytes: Uint8Array, limits: ReadLimits): Promise<ReadResult> {
  checkBytes(bytes, limits.maxBytes, 'FreeCAD');
  const files = unzipGuarded(bytes, limits, 'FreeCAD', (name) => !/\.(png|jpe?g|svg)$/i.test(name));
  if (!files['Document.xml'])
    throw new CadReadError('the FreeCAD file has no Document.xml: it is not a FreeCAD document or it is damaged');
  const objects = parseDocumentXml(text(files['Document.xml']));
  const views = files['GuiDocument.xml'] ? parseGuiDocumentXml(text(files['GuiDocument.xml'])) : undefined;
  const meshes: Mesh[] = [];
  for (const o of drawnObjects(objects, views)) {
    const brep = files[o.shapeFile!];
    if (isEmptyBrep(brep)) continue;
    let read;
    try {
      read = await readWithOcct('brep', brep!, limits, { fallbackName: o.label, what: 'BREP' });
    } catch (e) {
      // a visible wire, a Draft line, a point: nothing to shade for this object, the others still are
      if (e instanceof CadReadError && /curves only|no valid/.test(e.message)) continue;
      throw e;
    }
    const { mesh, faces } = read;
    const view = views?.get(o.name);
    const count = mesh.positions.length / 9;
    mesh.parts = [{ name: o.label, start: 0, count, ...(view?.color ? { color: view.color } : {}) }];
    const perFace = parseColorList(view?.diffuseFile ? files[view.diffuseFile] : undefined);
    if (perFace.length === 1) mesh.parts[0].color = perFace[0];
    else if (perFace.length > 1 && perFace.length === faces.length) {
      const colors = new Uint8Array(count * 4);
      faces.forEach(([start, n], i) => {
        for (let t = start; t < start + n; t++) {
          colors[t * 4] = Math.round(perFace[i][0] * 255);
          colors[t * 4 + 1] = Math.round(perFace[i][1] * 255);
          colors[t * 4 + 2] = Math.round(perFace[i][2] * 255);
          colors[t * 4 + 3] = 255;
        }
      });
      mesh.colors = colors;
    }
    meshes.push(mesh);
  }
  if (meshes.length === 0) {
    throw new CadReadError(
      'the FreeCAD file has no visible solid or surface to draw (only sketches, hidden or empty objects)',
    );
  }
  // placements are already applied inside each .brp: FreeCAD writes shapes in document coordinates
  return finishRead(mergeMeshes(meshes), 'fcstd', 'mm', 'FreeCAD');
}
