// Byte-level tokenising shared by the text readers (ASCII STL, PLY headers): words, numbers, line numbers.

/** True for space, tab, CR, LF, VT, FF. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Parse a decimal number in bytes[start, end); NaN if the token is not one. */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (bytes[i] === 45 /* - */) {
    neg = true;
    i++;
  } else if (bytes[i] === 43 /* + */) i++;
  let mant = 0;
  let digits = 0;
  let exp10 = 0;
  while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
    mant = mant * 10 + (bytes[i] - 48);
    i++;
    digits++;
  }
  if (i < end && bytes[i] === 46 /* . */) {
    i++;
    while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
      mant = mant * 10 + (bytes[i] - 48);
      exp10--;
      i++;
      digits++;
    }
  }
  if (digits === 0) return slowNumber(bytes, start, end);
  if (i < end && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let eneg = false;
    if (bytes[i] === 45) {
      eneg = true;
      i++;
    } else if (bytes[i] === 43) i++;
    let e = 0;
    let ed = 0;
    while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
      e = e * 10 + (bytes[i] - 48);
      i++;
      ed++;
    }
    if (ed === 0) return NaN;
    exp10 += eneg ? -e : e;
  }
  if (i !== end) return NaN;
  // beyond 15 digits the running mantissa loses exactness: let the engine round it
  if (digits > 15) return slowNumber(bytes, start, end);
  let v = mant;
  if (exp10 < 0) v = exp10 >= -22 ? mant / 10 ** -exp10 : mant * 10 ** exp10;
  else if (exp10 > 0) v = mant * 10 ** exp10;
  return neg ? -v : v;
}

function slowNumber(bytes: Uint8Array, start: number, end: number): number {
  if (end - start > 64) return NaN;
  const s = String.fromCharCode(...bytes.subarray(start, end));
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
}

/** 1-based line number of a byte offset (for messages only). */
export function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 10) line++;
  return line;
}

/** Lower-case ASCII word of bytes[start, end), at most 16 characters. */
export function wordAt(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < start + 16; i++) {
    const c = bytes[i];
    s += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  }
  return s;
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 4096) s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 4096)));
  return s;
}
