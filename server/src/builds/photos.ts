// Build photos as images: what the bytes are (sniffed, never the file name), whether they are small enough to decode,
// and the metadata-free copies we keep. The only place that touches sharp for photos.
import sharp, { type Metadata } from 'sharp';
import { AppError, msg } from '../errors.js';

export type PhotoFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff';

/** 50 megapixels: a 45 MP camera fits; a decompression bomb (30,000 × 30,000) does not. */
export const photoPixelLimit = 50_000_000;
export const maxPhotoBytes = 40 * 1024 * 1024;
export const maxPhotosPerReport = 30;
/** Bytes buffered before a photo streams on: enough for sharp to read JPEG/PNG/WebP dimensions. */
export const photoHeadBytes = 64 * 1024;

export const photoSizes = { large: 2048, thumb: 400 } as const;
export type PhotoSize = keyof typeof photoSizes;
export const photoOutputFormats = ['webp', 'jpeg'] as const;
export type PhotoOutputFormat = (typeof photoOutputFormats)[number];

const heicBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);

/**
 * The photo format from the first bytes, or 415 naming what was sent. SVG and HTML are refused outright: they can
 * carry scripts, and they are drawings, not photos. HEIC is refused: the libvips sharp ships cannot decode it.
 */
export function sniffPhoto(head: Buffer, label: string): PhotoFormat {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP')
    return 'webp';
  if (head.length >= 4 && (head.toString('latin1', 0, 4) === 'II*\0' || head.toString('latin1', 0, 4) === 'MM\0*'))
    return 'tiff';
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') {
    const boxSize = Math.min(head.readUInt32BE(0), head.length);
    const brands = [head.toString('latin1', 8, 12)];
    for (let o = 16; o + 4 <= boxSize; o += 4) brands.push(head.toString('latin1', o, o + 4));
    if (brands.includes('avif') || brands.includes('avis')) return 'avif';
    if (brands.some((b) => heicBrands.has(b))) {
      throw new AppError('unsupported-file', msg('builds.heic', { label }), {
        errors: [{ field: 'photos', value: label, message: msg('fields.heic') }],
      });
    }
  }
  const text = head
    .toString('utf8', 0, Math.min(head.length, 512))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  const what = text.startsWith('<') ? (text.includes('<svg') ? 'svg' : 'markup') : 'unknown';
  throw new AppError('unsupported-file', msg('builds.notAPhoto', { label, what }), {
    errors: [{ field: 'photos', value: label, message: msg('fields.notAPhoto') }],
  });
}

/**
 * Reads the dimensions from the head of a photo without decoding pixels, and refuses (413) one above the pixel limit
 * before it is stored. When the head is not enough to tell (rare), the process-photo job's limit decides.
 * A whole small file sharp cannot read at all is refused here (415) rather than queued to fail.
 */
export async function checkPhotoHead(
  head: Buffer,
  complete: boolean,
  label: string,
): Promise<{ width: number; height: number } | undefined> {
  let meta: Metadata;
  try {
    meta = await sharp(head, { limitInputPixels: false }).metadata();
  } catch {
    if (complete)
      throw new AppError('unsupported-file', msg('builds.unreadablePhoto', { label }), {
        errors: [{ field: 'photos', value: label, message: msg('fields.unreadablePhoto') }],
      });
    return undefined;
  }
  if (!meta.width || !meta.height) return undefined;
  if (meta.width * meta.height > photoPixelLimit) {
    throw new AppError(
      'too-large',
      msg('builds.photoPixels', {
        label,
        width: meta.width,
        height: meta.height,
        mp: Math.round((meta.width * meta.height) / 1e6),
        limit: photoPixelLimit / 1e6,
      }),
      {
        errors: [
          { field: 'photos', value: label, message: msg('fields.megapixels', { limit: photoPixelLimit / 1e6 }) },
        ],
        extra: { limit: photoPixelLimit },
      },
    );
  }
  return { width: meta.width, height: meta.height };
}

export interface RenderedPhoto<S extends string = PhotoSize> {
  width: number;
  height: number;
  /** the photo at full size, oriented, with no EXIF, GPS, XMP or ICC left: what we keep instead of the upload */
  original: { bytes: Buffer; ext: 'jpeg' | 'png' | 'webp'; mediaType: string };
  variants: { size: S; format: PhotoOutputFormat; bytes: Buffer }[];
}

/** A photo that cannot be decoded within the limits: the job fails with this message, never retried. */
export class PhotoUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhotoUnreadableError';
  }
}

/**
 * Oriented, metadata-free copies: the original re-encoded, and large (2048 px) and thumb (400 px) in WebP and JPEG.
 * sharp writes no metadata unless asked to, and `.rotate()` applies the EXIF orientation before it is dropped.
 */
export async function renderPhoto<S extends string = PhotoSize>(
  bytes: Buffer,
  format: PhotoFormat,
  // another use of the same encoding (avatars) asks for its own sizes
  sizes: Record<S, number> = photoSizes as unknown as Record<S, number>,
): Promise<RenderedPhoto<S>> {
  const unreadable = (err: unknown) =>
    new PhotoUnreadableError(
      `the photo could not be decoded as ${format.toUpperCase()}; it may be damaged (${String((err as Error)?.message ?? err).split('\n')[0]})`,
    );
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw unreadable(err);
  }
  if (!meta.width || !meta.height) throw unreadable('no dimensions in its header');
  if (meta.width * meta.height > photoPixelLimit) {
    throw new PhotoUnreadableError(
      `the photo is ${meta.width} × ${meta.height} pixels, more than ${photoPixelLimit / 1e6} megapixels; send a smaller one`,
    );
  }
  // limitInputPixels again: the header could lie about what the decoder will meet
  const source = () => sharp(bytes, { limitInputPixels: photoPixelLimit, failOn: 'error' }).rotate();
  const ext = format === 'png' || format === 'tiff' ? 'png' : format === 'webp' ? 'webp' : 'jpeg';
  try {
    const orig = source();
    const originalBytes = await (
      ext === 'png'
        ? orig.png({ compressionLevel: 9 })
        : ext === 'webp'
          ? orig.webp({ quality: 92 })
          : orig.flatten({ background: '#ffffff' }).jpeg({ quality: 92, mozjpeg: true })
    ).toBuffer();
    const variants: RenderedPhoto<S>['variants'] = [];
    for (const size of Object.keys(sizes) as S[]) {
      for (const out of photoOutputFormats) {
        const resized = source().resize({
          width: sizes[size],
          height: sizes[size],
          fit: 'inside',
          withoutEnlargement: true,
        });
        const quality = size === 'thumb' ? 78 : 85;
        const encoded =
          out === 'webp'
            ? resized.webp({ quality })
            : resized.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true });
        variants.push({ size, format: out, bytes: await encoded.toBuffer() });
      }
    }
    // orientations 5–8 swap width and height once applied
    const swapped = (meta.orientation ?? 1) >= 5;
    return {
      width: swapped ? meta.height : meta.width,
      height: swapped ? meta.width : meta.height,
      original: { bytes: originalBytes, ext, mediaType: `image/${ext}` },
      variants,
    };
  } catch (err) {
    throw unreadable(err);
  }
}

export const photoMediaTypes: Record<PhotoOutputFormat, string> = { webp: 'image/webp', jpeg: 'image/jpeg' };
