// Guarded zip extraction (fflate): entry count, names, declared sizes and ratios are checked before inflating.
import { unzipSync } from 'fflate';
import { formatBytes } from './result.js';
import { CadReadError, type ReadLimits } from './types.js';

/** Entry count from the end-of-central-directory record, before anything is inflated. */
function declaredEntryCount(bytes: Uint8Array, what: string): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let e = bytes.length - 22; e >= 0 && bytes.length - e <= 65557; e--) {
    if (dv.getUint32(e, true) !== 0x06054b50) continue;
    let count = dv.getUint16(e + 10, true);
    if (e >= 20 && dv.getUint32(e - 20, true) === 0x07064b50) {
      const z = Number(dv.getBigUint64(e - 12, true));
      if (z + 40 <= bytes.length && dv.getUint32(z, true) === 0x06064b50) count = Number(dv.getBigUint64(z + 32, true));
    }
    return count;
  }
  throw new CadReadError(`the ${what} file is not a readable zip archive (no end-of-directory record)`);
}

export function isUnsafeEntryName(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.split(/[/\\]/).includes('..');
}

/**
 * Inflate the entries `want(name)` selects. Every entry is vetted first: count, path, declared size,
 * total size and compression ratio; fflate then inflates into a buffer of exactly the declared size,
 * so an entry that lies about its size cannot grow past it.
 */
export function unzipGuarded(
  bytes: Uint8Array,
  limits: ReadLimits,
  what: string,
  want: (name: string) => boolean,
): Record<string, Uint8Array> {
  const count = declaredEntryCount(bytes, what);
  if (count > limits.maxZipEntries) {
    throw new CadReadError(
      `the ${what} archive has ${count.toLocaleString('en')} entries, over the limit of ${limits.maxZipEntries.toLocaleString('en')}`,
    );
  }
  let seen = 0;
  let total = 0;
  const declared = new Map<string, number>();
  const filter = (f: { name: string; size: number; originalSize: number; compression: number }): boolean => {
    if (++seen > limits.maxZipEntries) {
      throw new CadReadError(
        `the ${what} archive has more than ${limits.maxZipEntries.toLocaleString('en')} entries, over the limit`,
      );
    }
    if (isUnsafeEntryName(f.name)) {
      throw new CadReadError(
        `the ${what} archive has an entry named "${f.name.slice(0, 80)}": paths with ".." or an absolute path are refused`,
      );
    }
    if (f.originalSize > limits.maxUncompressedBytes) {
      throw new CadReadError(
        `the ${what} entry "${f.name.slice(0, 80)}" unpacks to ${formatBytes(f.originalSize)}, over the limit of ${formatBytes(limits.maxUncompressedBytes)}`,
      );
    }
    total += f.originalSize;
    if (total > limits.maxUncompressedBytes) {
      throw new CadReadError(
        `the ${what} archive unpacks to more than ${formatBytes(limits.maxUncompressedBytes)}, over the limit`,
      );
    }
    // tiny entries may compress absurdly well and are harmless; big ones that do are bombs
    if (f.originalSize > 64 * 1024 && f.originalSize / Math.max(1, f.size) > limits.maxCompressionRatio) {
      throw new CadReadError(
        `the ${what} entry "${f.name.slice(0, 80)}" claims a compression ratio of ${Math.round(f.originalSize / Math.max(1, f.size))}:1 (${formatBytes(f.size)} → ${formatBytes(f.originalSize)}), over the limit of ${limits.maxCompressionRatio}:1`,
      );
    }
    if (!want(f.name)) return false;
    if (f.compression !== 0 && f.compression !== 8) {
      throw new CadReadError(
        `the ${what} entry "${f.name.slice(0, 80)}" uses zip compression method ${f.compression}; only stored and deflate are supported`,
      );
    }
    declared.set(f.name, f.originalSize);
    return true;
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter });
  } catch (e) {
    if (e instanceof CadReadError) throw e;
    throw new CadReadError(`the ${what} archive is damaged and cannot be unpacked (${(e as Error).message})`);
  }
  for (const [name, data] of Object.entries(files)) {
    if (data.length !== declared.get(name)) {
      throw new CadReadError(
        `the ${what} entry "${name.slice(0, 80)}" unpacks to ${data.length} bytes but declares ${declared.get(name)}: the archive is damaged`,
      );
    }
  }
  return files;
}
