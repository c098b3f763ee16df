// Text encoding of uploaded BOM bytes: UTF-8 (with or without BOM), UTF-16 LE/BE, Windows-1252.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type BomEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  readonly text: string;
  readonly encoding: BomEncoding;
}

/**
 * Decodes a spreadsheet export. Excel writes "Unicode text" as UTF-16 LE with a BOM and "CSV" in
 * the machine's ANSI code page (Windows-1252 in the west), so bytes that are not valid UTF-8 are
 * read as Windows-1252: every byte decodes, and "é" and "€" come out right in the common case.
 */
export function decodeBomBytes(bytes: Buffer): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: bytes.toString('utf8', 3), encoding: 'utf-8-bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  }
  const bomless16 = guessBomlessUtf16(bytes);
  if (bomless16) return { text: iconv.decode(bytes, bomless16), encoding: bomless16 };
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), encoding: 'utf-8' };
  return { text: iconv.decode(bytes, 'windows-1252'), encoding: 'windows-1252' };
}

/** UTF-16 without a BOM shows as a zero byte beside nearly every ASCII character. */
function guessBomlessUtf16(bytes: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const sample = Math.min(bytes.length - (bytes.length % 2), 512);
  if (sample < 8) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = sample / 2;
  if (zeroOdd > pairs * 0.6 && zeroEven < pairs * 0.1) return 'utf-16le';
  if (zeroEven > pairs * 0.6 && zeroOdd < pairs * 0.1) return 'utf-16be';
  return undefined;
}
