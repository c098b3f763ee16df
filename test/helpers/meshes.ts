// Tiny meshes made by code for API tests.
/** A binary STL of an axis-aligned cube from the origin, 12 triangles. */
export function cubeStl(size = 10): Buffer {
  const v = [
    [0, 0, 0],
    [1, 0, 0],
    [1, 1, 0],
    [0, 1, 0],
    [0, 0, 1],
    [1, 0, 1],
    [1, 1, 1],
    [0, 1, 1],
  ].map((p) => p.map((c) => c * size));
  const f = [
    [0, 2, 1],
    [0, 3, 2],
    [4, 5, 6],
    [4, 6, 7],
    [0, 1, 5],
    [0, 5, 4],
    [1, 2, 6],
    [1, 6, 5],
    [2, 3, 7],
    [2, 7, 6],
    [3, 0, 4],
    [3, 4, 7],
  ];
  const b = Buffer.alloc(84 + 50 * f.length);
  b.writeUInt32LE(f.length, 80);
  f.forEach((t, i) => {
    const o = 84 + 50 * i + 12;
    t.forEach((vi, k) => v[vi].forEach((c, j) => b.writeFloatLE(c, o + 12 * k + 4 * j)));
  });
  return b;
}
