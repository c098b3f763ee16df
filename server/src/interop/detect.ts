// Recognises a foreign manifest by its content, never its file name: OKH-LOSH (TOML), OKH v1 (YAML), Kitspace (YAML).
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { kitspaceKeys } from './kitspace.js';

export type ManifestKind = 'okh-losh' | 'okh-v1' | 'kitspace';

export interface DetectedManifest {
  kind: ManifestKind;
  doc: Record<string, unknown>;
}

/** Manifests are small; anything larger is a data file, not worth parsing twice. */
export const maxManifestBytes = 1024 * 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

const okhV1Keys = [
  'okh-manifest-version',
  'manifest-author',
  'documentation-home',
  'project-link',
  'making-instructions',
  'design-files',
  'date-created',
  'health-safety-notice',
  'intended-use',
];
const loshKeys = [
  'okhv',
  'function',
  'technology-readiness-level',
  'documentation-readiness-level',
  'licensor',
  'repo',
];

function decode(bytes: Uint8Array): string | undefined {
  if (bytes.length > maxManifestBytes || bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function classifyYaml(doc: Record<string, unknown>, okhDirective: boolean): ManifestKind | undefined {
  if (okhDirective || okhV1Keys.some((k) => k in doc)) return 'okh-v1';
  if ('okhv' in doc) return 'okh-losh';
  if ('title' in doc && ('license' in doc || 'licensor' in doc || 'description' in doc)) return 'okh-v1';
  if ('name' in doc && loshKeys.some((k) => k in doc)) return 'okh-losh';
  const keys = Object.keys(doc);
  if (keys.length && keys.every((k) => kitspaceKeys.has(k))) return 'kitspace';
  return undefined;
}

/** The manifest these bytes hold, or undefined when they are not one we read. */
export function detectManifest(bytes: Uint8Array): DetectedManifest | undefined {
  const text = decode(bytes);
  if (text === undefined || !text.trim()) return undefined;
  try {
    const doc = parseToml(text);
    if (isRecord(doc) && ('okhv' in doc || ('name' in doc && loshKeys.some((k) => k in doc))))
      return { kind: 'okh-losh', doc };
  } catch {
    /* not TOML */
  }
  // OKH v1 opens with "%Open Know-How Manifest 1.0", a directive YAML itself does not know
  const okhDirective = /^%Open Know-How Manifest/m.test(text.slice(0, 200));
  const yamlText = text.replace(/^%(?!YAML|TAG).*$/gm, '');
  try {
    const doc = parseYaml(yamlText, { logLevel: 'silent', maxAliasCount: 100 });
    if (!isRecord(doc)) return undefined;
    const kind = classifyYaml(doc, okhDirective);
    return kind ? { kind, doc } : undefined;
  } catch {
    return undefined;
  }
}
