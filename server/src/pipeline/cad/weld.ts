// Vertex welding: flat triangle positions → unique vertices + index, by exact bits or a grid tolerance.

export interface Welded {
  vertices: Float32Array;
  index: Uint32Array;
}

/**
 * Merge equal vertices. With `tolerance` 0 vertices merge when their float bits are equal;
 * otherwise when they fall into the same grid cell of that size (mm).
 */
export function weldVertices(positions: Float32Array, tolerance = 0): Welded {
  const n = positions.length / 3;
  const keys = new Int32Array(n * 3);
  if (tolerance > 0) {
    const inv = 1 / tolerance;
    for (let i = 0; i < n * 3; i++) keys[i] = Math.round(positions[i] * inv) | 0;
  } else {
    // +0 and -0 are the same vertex
    const bits = new Int32Array(Float32Array.from(positions, (v) => v + 0).buffer);
    keys.set(bits);
  }
  let cap = 16;
  while (cap < n * 2) cap <<= 1;
  const mask = cap - 1;
  const table = new Int32Array(cap).fill(-1);
  const index = new Uint32Array(n);
  const firstOf = new Int32Array(n);
  let unique = 0;
  for (let i = 0; i < n; i++) {
    const a = keys[i * 3], b = keys[i * 3 + 1], c = keys[i * 3 + 2];
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const slot = table[h];
      if (slot === -1) {
        table[h] = unique;
        firstOf[unique] = i;
        index[i] = unique++;
        break;
      }
      const j = firstOf[slot] * 3;
      if (keys[j] === a && keys[j + 1] === b && keys[j + 2] === c) {
        index[i] = slot;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  const vertices = new Float32Array(unique * 3);
  for (let u = 0; u < unique; u++) {
    const j = firstOf[u] * 3;
    vertices[u * 3] = positions[j];
    vertices[u * 3 + 1] = positions[j + 1];
    vertices[u * 3 + 2] = positions[j + 2];
  }
  return { vertices, index };
}
