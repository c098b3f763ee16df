// Kitspace (kitspace.yaml): summary, site, color, bom (a 1-click-bom file), gerbers, eda {type, pcb}, readme;
// `multi:` holds several projects of one repository, each becoming its own design.
import { msg, type Detail } from '../errors.js';
import { asString, isWebUrl, normaliseRef, type ImportedProject } from './project.js';

/** Keys a kitspace.yaml (or one project of `multi:`) may hold; detection uses them. */
export const kitspaceKeys = new Set([
  'summary',
  'site',
  'color',
  'bom',
  'gerbers',
  'eda',
  'readme',
  'multi',
  'pcb-services',
  'ibom-enabled',
]);

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');

/** Longest common folder ("a/b/") of some paths, '' when they share none. */
export function commonFolder(paths: string[]): string {
  if (!paths.length) return '';
  let prefix = dirOf(paths[0]);
  for (const p of paths.slice(1)) {
    while (prefix && !p.startsWith(prefix)) prefix = dirOf(prefix.slice(0, -1));
  }
  return prefix;
}

function readProject(key: string | undefined, p: Record<string, unknown>, multi: boolean): ImportedProject {
  const warnings: Detail[] = [];
  const manifest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p))
    if (!['summary', 'bom', 'readme', 'gerbers', 'eda'].includes(k)) manifest[k] = v;
  const summary = asString(p.summary);
  if (summary) manifest.summary = summary.slice(0, 2000);
  else warnings.push(msg('importWarnings.fieldMissing', { field: 'summary' }));
  const bom = asString(p.bom);
  const readme = asString(p.readme);
  const gerbers = asString(p.gerbers);
  const eda = p.eda && typeof p.eda === 'object' ? (p.eda as Record<string, unknown>) : undefined;
  if (eda) manifest.eda = eda;
  const pcb = eda ? asString(eda.pcb) : undefined;
  if (gerbers) manifest.gerbers = normaliseRef(gerbers);
  const refs = [bom, readme, pcb, gerbers ? normaliseRef(gerbers).replace(/\/?$/, '/x') : undefined]
    .filter((r): r is string => !!r && !isWebUrl(r))
    .map(normaliseRef);
  const named = [readme, pcb].filter((r): r is string => !!r && !isWebUrl(r)).map(normaliseRef);
  if (gerbers && !isWebUrl(gerbers)) named.push(normaliseRef(gerbers).replace(/\/?$/, '/'));
  // a multi-project owns the folder its files share; a single project owns the whole repository
  const base = multi ? commonFolder(refs) : '';
  const rel = (r: string) => (r.startsWith(base) ? r.slice(base.length) : r);
  if (readme) manifest.readme = rel(normaliseRef(readme));
  if (manifest.gerbers) manifest.gerbers = rel(manifest.gerbers as string);
  if (pcb && eda) manifest.eda = { ...eda, pcb: rel(normaliseRef(pcb)) };
  if (!bom) warnings.push(msg('importWarnings.fieldMissing', { field: 'bom' }));
  if (!gerbers) warnings.push(msg('importWarnings.fieldMissing', { field: 'gerbers' }));
  warnings.push(msg('importWarnings.kitspaceNoVersion'));
  // projects of one repository that share no folder get only the files they name (gerbers: the whole folder)
  const extraPaths = multi && !base ? refs.map((r) => (r.endsWith('/x') ? r.slice(0, -1) : r)) : [];
  return {
    source: 'kitspace',
    title: key,
    slug: key,
    licenses: {},
    manifest,
    bom: bom && !isWebUrl(bom) ? normaliseRef(bom) : undefined,
    gerbers:
      gerbers && !isWebUrl(gerbers) && normaliseRef(gerbers) ? normaliseRef(gerbers).replace(/\/?$/, '/') : undefined,
    named,
    base,
    onlyNamed: multi && !base,
    extraPaths,
    warnings,
  };
}

/** A kitspace.yaml → one project, or one per entry of `multi:`. */
export function readKitspace(doc: Record<string, unknown>): ImportedProject[] {
  const multi = doc.multi;
  if (multi && typeof multi === 'object' && !Array.isArray(multi)) {
    return Object.entries(multi as Record<string, unknown>)
      .filter(([, p]) => p && typeof p === 'object')
      .map(([key, p]) => readProject(key, p as Record<string, unknown>, true));
  }
  return [readProject(undefined, doc, false)];
}
