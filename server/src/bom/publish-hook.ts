// The BOM part of a publish: parsed inside the publish transaction and frozen with the version. A file with
// no recognisable header or quantity column refuses the publish (422); unreadable cells are warnings.
import type { BlobStore } from '../storage/blob-store.js';
import { AppError, composed, overLimit, type ErrorCode } from '../errors.js';
import type { VersionPublishedHook } from '../registry/publish.js';
import { parseBom, BomUnreadableError, type ParsedBom } from './kernel/parse.js';
import { BomTooDeepError } from './kernel/unreadable.js';
import { saveBom } from './store.js';
import { bomWarningText } from './warning-text.js';

/** Larger BOM files are refused before parsing: 100,000 lines of CSV are well under this. */
export const maxBomBytes = 64 * 1024 * 1024;

/** Parses BOM bytes or throws the 413/422 problem a maker can act on. */
export function parseBomOrProblem(bytes: Buffer, filename: string): ParsedBom {
  if (bytes.length > maxBomBytes) throw overLimit.bom(maxBomBytes);
  try {
    return parseBom(bytes, filename);
  } catch (err) {
    if (err instanceof BomUnreadableError) throw unusableBom(err, filename);
    throw err;
  }
}

/** 400 for nesting past the limit, else 422; the reason and each line's problem in the reader's language. */
function unusableBom(err: BomUnreadableError, filename: string): AppError {
  const code: ErrorCode = err instanceof BomTooDeepError ? 'bad-request' : 'unprocessable';
  return new AppError(code, composed('bom.cannotBeUsed', { filename, why: (locale) => bomWarningText(err, locale) }), {
    errors: err.errors.map((e) => ({
      line: e.line,
      column: e.column,
      value: e.value,
      code: e.code,
      ...(e.values ? { values: e.values } : {}),
      message: (locale: string) => bomWarningText(e, locale),
    })),
  });
}

export function bomPublishHook(blobs: BlobStore): VersionPublishedHook {
  return async (tx, ctx) => {
    const bom = ctx.input.bom;
    if (!bom) return;
    if (bom.size > maxBomBytes) parseBomOrProblem(Buffer.alloc(maxBomBytes + 1), bom.path);
    const parsed = parseBomOrProblem(await blobs.getBuffer(bom.sha256), bom.path);
    await saveBom(tx, ctx.version.id, parsed);
  };
}
