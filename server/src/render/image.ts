// Previews of images inside versions (photos, renders): turned upright, resized, re-encoded without EXIF/GPS.
import sharp from 'sharp';
import { CadReadError } from '../cad/types.js';

export interface ImageFacts {
  format: string;
  width: number;
  height: number;
  /** the original carries a GPS position: the design page warns its owner (the raw file keeps it) */
  hasGps: boolean;
}

/** Does an EXIF block (as sharp returns it, "Exif\0\0" + TIFF) point to a GPS IFD (tag 0x8825) from IFD0? */
export function exifHasGps(exif: Uint8Array | undefined): boolean {
  if (!exif || exif.length < 14) return false;
  let base = 0;
  if (Buffer.from(exif.subarray(0, 4)).toString('latin1') === 'Exif') base = 6;
  const dv = new DataView(exif.buffer, exif.byteOffset, exif.byteLength);
  const order = Buffer.from(exif.subarray(base, base + 2)).toString('latin1');
  if (order !== 'II' && order !== 'MM') return false;
  const le = order === 'II';
  const ifd = base + dv.getUint32(base + 4, le);
  if (ifd + 2 > exif.length) return false;
  const count = dv.getUint16(ifd, le);
  for (let i = 0; i < count; i++) {
    const o = ifd + 2 + i * 12;
    if (o + 12 > exif.length) return false;
    if (dv.getUint16(o, le) === 0x8825) return true;
  }
  return false;
}

export async function imagePreviews(
  bytes: Uint8Array,
  sizes: number[],
  formats: ('png' | 'webp')[],
  maxPixels: number,
) {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(input, { limitInputPixels: maxPixels }).metadata();
  } catch (e) {
    throw new CadReadError(
      `the image cannot be read (${String((e as Error).message).slice(0, 120)}); upload it as JPEG, PNG or WebP`,
    );
  }
  const turned = (meta.orientation ?? 1) >= 5;
  const facts: ImageFacts = {
    format: meta.format ?? 'image',
    width: (turned ? meta.height : meta.width) ?? 0,
    height: (turned ? meta.width : meta.height) ?? 0,
    hasGps: exifHasGps(meta.exif),
  };
  const previews: { size: number; format: 'png' | 'webp'; bytes: Uint8Array }[] = [];
  try {
    for (const size of sizes) {
      for (const format of formats) {
        // rotate() applies the EXIF orientation; sharp writes no metadata unless asked, so EXIF and GPS are gone
        const img = sharp(input, { limitInputPixels: maxPixels })
          .rotate()
          .resize(size, size, { fit: 'inside', withoutEnlargement: true });
        const out =
          format === 'png'
            ? await img.png({ compressionLevel: 6 }).toBuffer()
            : await img.webp({ quality: 85 }).toBuffer();
        previews.push({ size, format, bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) });
      }
    }
  } catch (e) {
    if (/pixel limit/i.test(String((e as Error).message))) {
      throw new CadReadError(
        `the image is ${facts.width} × ${facts.height} pixels, over the limit of ${maxPixels.toLocaleString('en')} pixels`,
      );
    }
    throw new CadReadError(
      `the image cannot be decoded (${String((e as Error).message).slice(0, 120)}); upload it as JPEG, PNG or WebP`,
    );
  }
  return { facts, previews };
}
