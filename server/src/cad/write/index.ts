// Mesh writers, one module per format: re-exported for the sample generator and tests.
export { writeStlBinary, writeStlAscii } from './stl.js';
export { writeObj } from './obj.js';
export { writePly } from './ply.js';
export { write3mf, threeMfModelXml, zip3mf } from './threemf.js';
export { writeGlb, writeGltfSeparate } from './gltf.js';
