// Vertex welding: flat triangle positions → unique vertices + index, by exact bits or a grid tolerance.

export interface Welded {
  vertices: Float32Array;
  index: Uint32Array;
}

/**
 * Vertices with equal keys share an id: each id is the smallest provisional id of its vertex, so ids stay below
 * `idBound` but are not dense (enough for comparing vertices, as the watertight test does).
 */
export interface WeldedIds {
  index: Uint32Array;
  idBound: number;
}

/**
 * murmur3's 32-bit finaliser: float bit patterns and grid keys share their low bits (round numbers,
 * regular grids), so without a full mix keys would fall into few buckets.
 */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// 16 k recent vertices (256 kB, within L2): a mesh's neighbouring rows of triangles fit
const RECENT_BITS = 14;
// 22 bits of the hash, two 11-bit radix passes: runs of equal low bits are short, and keys decide within a run
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const SORT_MASK = (1 << (2 * RADIX_BITS)) - 1;
// a run of equal sort keys longer than this (only a crafted file has one) is sorted instead of compared pairwise
const PAIRWISE_RUN = 16;

/**
 * Merge equal vertices into ids. With `tolerance` 0 vertices merge when their float bits are equal (+0 and −0
 * alike); otherwise when they round to the same point of a grid of that size (mm).
 *
 * Neighbouring triangles share vertices, so one streaming pass answers most vertices from a small cache of
 * recent ones and gives every other occurrence a provisional id. Those few are then radix-sorted by
 * a hash of their key, and each run of equal keys takes its smallest provisional id. No hash table the size of
 * the mesh is probed at random: at millions of vertices those cache misses were most of the time.
 */
export function weldIds(positions: Float32Array, tolerance = 0): WeldedIds {
  const n = (positions.length / 3) | 0;
  const index = new Uint32Array(n);
  const bits = new Int32Array(positions.buffer, positions.byteOffset, n * 3);
  const grid = tolerance > 0;
  const inv = grid ? 1 / tolerance : 0;
  const recent = new Int32Array(4 << RECENT_BITS); // x, y, z bits, id + 1 (0: empty)
  let keys = new Int32Array(3 * Math.max(1024, n >> 2)); // of each provisional id
  let hashes = new Int32Array(keys.length / 3);
  let ids = 0;
  for (let i = 0; i < n; i++) {
    const x = bits[i * 3],
      y = bits[i * 3 + 1],
      z = bits[i * 3 + 2];
    // keyed by the raw bits: a vertex written again with the same floats (the usual case) is found without
    // rounding or a full hash
    const r = recentSlot(x, y, z);
    if (recent[r] === x && recent[r + 1] === y && recent[r + 2] === z && recent[r + 3] !== 0) {
      index[i] = recent[r + 3] - 1;
      continue;
    }
    let a: number, b: number, c: number;
    if (grid) {
      // Math.floor(x + 0.5) rounds like Math.round but V8 compiles it to one instruction; | 0 wraps as an Int32Array would
      a = Math.floor(positions[i * 3] * inv + 0.5) | 0;
      b = Math.floor(positions[i * 3 + 1] * inv + 0.5) | 0;
      c = Math.floor(positions[i * 3 + 2] * inv + 0.5) | 0;
    } else {
      // −0 is +0
      a = x === -0x80000000 ? 0 : x;
      b = y === -0x80000000 ? 0 : y;
      c = z === -0x80000000 ? 0 : z;
    }
    if (ids === hashes.length) {
      keys = grow(keys, keys.length * 2);
      hashes = grow(hashes, hashes.length * 2);
    }
    keys[ids * 3] = a;
    keys[ids * 3 + 1] = b;
    keys[ids * 3 + 2] = c;
    hashes[ids] = mix(mix(mix(a) ^ b) ^ c);
    recent[r] = x;
    recent[r + 1] = y;
    recent[r + 2] = z;
    recent[r + 3] = ids + 1;
    index[i] = ids++;
  }
  // the cache answered fewer than three vertices in four: many ids repeat a key
  const first = firstIdOfEachKey(keys, hashes, ids, ids > n / 4);
  for (let i = 0; i < n; i++) index[i] = first[index[i]];
  return { index, idBound: ids };
}

/** Multiplicative hashing, top bits: cheap, and enough for a cache where a collision only costs a miss. */
function recentSlot(x: number, y: number, z: number): number {
  return ((Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77) ^ Math.imul(z, 0xc2b2ae3d)) >>> (32 - RECENT_BITS)) << 2;
}

function grow(a: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

/**
 * For each provisional id, the smallest provisional id with the same key. When many ids repeat a key (the recent
 * cache missed: triangles in no useful order), the keys travel with the ids through the sort, so a run compares
 * neighbours in memory rather than keys scattered over the mesh; otherwise moving them costs more than it saves.
 */
function firstIdOfEachKey(keys: Int32Array, hashes: Int32Array, ids: number, carryKeys: boolean): Uint32Array {
  // LSD radix sort of the ids by the hash's low 22 bits, stable, so each run lists its ids in ascending order
  const order = new Uint32Array(ids);
  const sortedHash = new Int32Array(ids);
  const sortedKeys = new Int32Array(carryKeys ? ids * 3 : 0);
  const count = new Uint32Array(RADIX);
  for (let m = 0; m < ids; m++) count[hashes[m] & (RADIX - 1)]++;
  prefixSums(count);
  for (let m = 0; m < ids; m++) {
    const at = count[hashes[m] & (RADIX - 1)]++;
    order[at] = m;
    sortedHash[at] = hashes[m];
    if (carryKeys) {
      sortedKeys[at * 3] = keys[m * 3];
      sortedKeys[at * 3 + 1] = keys[m * 3 + 1];
      sortedKeys[at * 3 + 2] = keys[m * 3 + 2];
    }
  }
  const order2 = new Uint32Array(ids);
  count.fill(0);
  for (let k = 0; k < ids; k++) count[(sortedHash[k] >>> RADIX_BITS) & (RADIX - 1)]++;
  prefixSums(count);
  // hashes (and carried keys), read in id order above, now follow order2
  for (let k = 0; k < ids; k++) {
    const at = count[(sortedHash[k] >>> RADIX_BITS) & (RADIX - 1)]++;
    order2[at] = order[k];
    hashes[at] = sortedHash[k];
    if (carryKeys) {
      keys[at * 3] = sortedKeys[k * 3];
      keys[at * 3 + 1] = sortedKeys[k * 3 + 1];
      keys[at * 3 + 2] = sortedKeys[k * 3 + 2];
    }
  }
  // where the key of the id at a sorted position is
  const keyAt = carryKeys ? identity(ids) : order2;
  // most ids are alone in their run and stay their own first: only a run of two or more is looked at, in order
  const first = order; // reused
  for (let m = 0; m < ids; m++) first[m] = m;
  for (let s = 0; s < ids;) {
    const low = hashes[s] & SORT_MASK;
    let e = s + 1;
    while (e < ids && (hashes[e] & SORT_MASK) === low) e++;
    if (e - s > PAIRWISE_RUN) sortedRun(keys, keyAt, order2, s, e, first);
    else {
      for (let j = s + 1; j < e; j++) {
        for (let k = s; k < j; k++) {
          if (hashes[k] === hashes[j] && sameKey(keys, keyAt[k], keyAt[j])) {
            first[order2[j]] = first[order2[k]];
            break;
          }
        }
      }
    }
    s = e;
  }
  return first;
}

function prefixSums(count: Uint32Array): void {
  let sum = 0;
  for (let b = 0; b < count.length; b++) {
    const c = count[b];
    count[b] = sum;
    sum += c;
  }
}

function sameKey(keys: Int32Array, m: number, k: number): boolean {
  return keys[m * 3] === keys[k * 3] && keys[m * 3 + 1] === keys[k * 3 + 1] && keys[m * 3 + 2] === keys[k * 3 + 2];
}

/**
 * A long run of equal sort keys (positions s..e of the sorted order): ordered by key then id, so equal keys are
 * neighbours and the first of them has the smallest id.
 */
function sortedRun(
  keys: Int32Array,
  keyAt: Uint32Array,
  order: Uint32Array,
  s: number,
  e: number,
  first: Uint32Array,
): void {
  const run = Array.from({ length: e - s }, (_, j) => s + j).sort((p, q) => {
    const a = keyAt[p] * 3,
      b = keyAt[q] * 3;
    return keys[a] - keys[b] || keys[a + 1] - keys[b + 1] || keys[a + 2] - keys[b + 2] || order[p] - order[q];
  });
  for (let j = 1; j < run.length; j++) {
    const p = run[j],
      q = run[j - 1];
    if (sameKey(keys, keyAt[q], keyAt[p])) first[order[p]] = first[order[q]];
  }
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * Merge equal vertices (see weldIds): ids dense and numbered in order of first appearance, each vertex at the
 * position of its first occurrence.
 */
export function weldVertices(positions: Float32Array, tolerance = 0): Welded {
  const { index, idBound } = weldIds(positions, tolerance);
  const dense = new Int32Array(idBound); // id + 1 (0: not seen yet)
  const vertices = new Float32Array(idBound * 3);
  let unique = 0;
  for (let i = 0; i < index.length; i++) {
    const id = index[i];
    if (dense[id] === 0) {
      vertices[unique * 3] = positions[i * 3];
      vertices[unique * 3 + 1] = positions[i * 3 + 1];
      vertices[unique * 3 + 2] = positions[i * 3 + 2];
      dense[id] = ++unique;
    }
    index[i] = dense[id] - 1;
  }
  return { vertices: vertices.slice(0, unique * 3), index };
}
