// OKH v1 (the Open Know-How Manifest 1.0, YAML: okh.yml): title, description, licensor, license {hardware,
// documentation, software}, version, bom, making-instructions… → the normalised ImportedProject.
import { msg, type Detail } from '../errors.js';
import {
  asString,
  asStringList,
  compact,
  isWebUrl,
  normaliseRef,
  personName,
  type ImportedProject,
} from './project.js';

/** OKH v1 "documents" ([{path, title}] or plain paths) → a list of paths. */
function documentPaths(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const items = Array.isArray(v) ? v : [v];
  const out = items
    .map((d) =>
      typeof d === 'string'
        ? d
        : d && typeof d === 'object'
          ? asString((d as Record<string, unknown>).path)
          : undefined,
    )
    .filter((s): s is string => !!s)
    .map(normaliseRef);
  return out.length ? out : undefined;
}

const stages: Record<string, string> = {
  idea: 'OTRL-1',
  concept: 'OTRL-2',
  development: 'OTRL-3',
  prototype: 'OTRL-4',
  testing: 'OTRL-4',
  production: 'OTRL-5',
  product: 'OTRL-6',
};

const consumed = new Set([
  'title',
  'description',
  'intended-use',
  'keywords',
  'version',
  'license',
  'licensor',
  'bom',
  'making-instructions',
  'manufacturing-instructions',
  'health-safety-notice',
  'derivative-of',
  'variant-of',
  'image',
  'documentation-language',
  'development-stage',
  'standards-used',
  'design-files',
  'project-link',
  'documentation-home',
  'okh-manifest-version',
]);

export function readOkhV1(doc: Record<string, unknown>): ImportedProject {
  const warnings: Detail[] = [];
  const manifest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!consumed.has(k)) manifest[k] = v;
  const title = asString(doc.title);
  if (title) manifest.title = title;
  const description = asString(doc.description);
  if (description) manifest.summary = description.slice(0, 2000);
  const fn = asString(doc['intended-use']) ?? description;
  if (fn) manifest.function = fn;
  const tags = asStringList(doc.keywords)?.map((t) => t.toLowerCase().slice(0, 40));
  if (tags) manifest.tags = [...new Set(tags)].slice(0, 30);
  const licensor = personName(doc.licensor);
  if (licensor) manifest.licensor = licensor;
  const licenses: ImportedProject['licenses'] = {};
  if (typeof doc.license === 'string') licenses.hardware = doc.license.trim();
  else if (doc.license && typeof doc.license === 'object') {
    const l = doc.license as Record<string, unknown>;
    Object.assign(
      licenses,
      compact({
        hardware: asString(l.hardware),
        documentation: asString(l.documentation),
        software: asString(l.software),
      }),
    );
  }
  const making = documentPaths(doc['making-instructions'] ?? doc['manufacturing-instructions']);
  if (making) manifest['manufacturing-instructions'] = making.length === 1 ? making[0] : making;
  const design = documentPaths(doc['design-files']);
  if (design) manifest.source = design;
  const safety = asString(doc['health-safety-notice']);
  if (safety) manifest.safety = [safety];
  const parent = (doc['derivative-of'] ?? doc['variant-of']) as Record<string, unknown> | undefined;
  const forkOf =
    parent && typeof parent === 'object'
      ? (asString(parent.manifest) ?? asString(parent.web) ?? asString(parent.title))
      : asString(parent);
  if (forkOf) manifest['fork-of'] = forkOf;
  const image = asString(doc.image);
  if (image) manifest.image = normaliseRef(image);
  const language = asString(doc['documentation-language']);
  if (language) manifest['documentation-language'] = language;
  const stage = asString(doc['development-stage']);
  if (stage) {
    manifest['development-stage'] = stage;
    const otrl = stages[stage.toLowerCase()];
    if (otrl) manifest.readiness = { technology: otrl };
  }
  const standards = Array.isArray(doc['standards-used'])
    ? doc['standards-used']
        .map((s) =>
          s && typeof s === 'object'
            ? (asString((s as Record<string, unknown>).reference) ??
              asString((s as Record<string, unknown>)['standard-title']))
            : asString(s),
        )
        .filter(Boolean)
    : undefined;
  if (standards?.length) manifest['standard-compliance'] = standards;
  const repo = asString(doc['project-link']) ?? asString(doc['documentation-home']);
  if (repo) manifest.repo = repo;

  for (const f of [
    'description',
    'licensor',
    'bom',
    'making-instructions',
    'image',
    'documentation-language',
  ] as const) {
    if (doc[f] === undefined && !(f === 'making-instructions' && doc['manufacturing-instructions'] !== undefined))
      warnings.push(msg('importWarnings.fieldMissing', { field: f }));
  }
  const bom = asString(doc.bom);
  return {
    source: 'okh-v1',
    title,
    version: asString(doc.version),
    licenses,
    manifest,
    bom: bom && !isWebUrl(bom) ? normaliseRef(bom) : undefined,
    base: '',
    extraPaths: [],
    warnings,
  };
}
