// `andecha validate ./folder`: the server's own checks, offline — manifest, licences, BOM (with line warnings), paths, limits.
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { validateManifest } from '../registry/manifest.js';
import { checkLicenses } from '../registry/licenses.js';
import { checkFilePath } from '../registry/paths.js';
import { parseBom, BomUnreadableError } from '../bom/kernel/index.js';
import { bomWarningText } from '../bom/warning-text.js';
import { defaultLocale } from '../locales/catalogues.js';
import type { LocalVersion } from './folder.js';

export interface Finding {
  where: string;
  message: string;
}

export interface ValidationReport {
  ok: boolean;
  version?: string;
  files: number;
  bytes: number;
  bomLines?: number;
  errors: Finding[];
  warnings: Finding[];
}

const fieldErrors = (err: AppError, where: string): Finding[] =>
  err.errors?.length
    ? err.errors.map((e) => ({ where: e.field ?? where, message: e.message }))
    : [{ where, message: err.message }];

/** `locale`: the language the BOM's warnings are worded in (a supported locale: the user's, matched). */
export function validateLocalVersion(local: LocalVersion, locale: string = defaultLocale): ValidationReport {
  const limits = loadConfig({}); // the defaults an instance starts with
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  let version: string | undefined;
  try {
    const manifest = validateManifest(JSON.parse(local.manifestText));
    version = String(manifest.version);
    checkLicenses(manifest.licenses as object | undefined, '/manifest/licenses');
    if (!manifest.licenses)
      warnings.push({
        where: 'manifest.json',
        message: "no licences: the design's licences apply (exported as NOASSERTION when it has none)",
      });
  } catch (err) {
    if (err instanceof SyntaxError) errors.push({ where: 'manifest.json', message: `not valid JSON: ${err.message}` });
    else if (err instanceof AppError) errors.push(...fieldErrors(err, 'manifest.json'));
    else throw err;
  }
  let bomLines: number | undefined;
  if (local.bom) {
    try {
      const parsed = parseBom(readFileSync(local.bom.abs), local.bom.path);
      bomLines = parsed.lines.length;
      for (const w of parsed.warnings)
        warnings.push({
          where: `${local.bom.path}${w.line ? `:${w.line}` : ''}${w.column ? ` (${w.column})` : ''}`,
          message: bomWarningText(w, locale),
        });
    } catch (err) {
      if (!(err instanceof BomUnreadableError)) throw err;
      errors.push({ where: local.bom.path, message: bomWarningText(err, locale) });
    }
  }
  let bytes = local.bom?.size ?? 0;
  for (const f of local.files) {
    try {
      checkFilePath(f.path);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      errors.push({ where: f.path, message: err.message });
    }
    if (f.size > limits.maxFileBytes)
      errors.push({ where: f.path, message: `${f.size} bytes, over the file limit of ${limits.maxFileBytes}` });
    bytes += f.size;
  }
  if (local.files.length > limits.maxFilesPerVersion)
    errors.push({
      where: local.dir,
      message: `${local.files.length} files, over the limit of ${limits.maxFilesPerVersion}`,
    });
  if (bytes > limits.maxVersionBytes)
    errors.push({
      where: local.dir,
      message: `${bytes} bytes in all, over the version limit of ${limits.maxVersionBytes}`,
    });
  return { ok: errors.length === 0, version, files: local.files.length, bytes, bomLines, errors, warnings };
}
