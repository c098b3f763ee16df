// The manifest-detection thread: recognising a candidate means parsing it as TOML and then YAML, a quarter of a
// second for some 100 KB files, so an import's candidates are tried here, never on the API's event loop.
import { parentPort } from 'node:worker_threads';
import { detectManifest } from './detect.js';
import { packDoc, type Candidate, type Detection } from './detect-protocol.js';

parentPort!.on('message', (c: Candidate) => {
  const detected = detectManifest(c.bytes);
  const reply: Detection = detected
    ? { path: c.path, kind: detected.kind, doc: packDoc(detected.doc) }
    : { path: c.path };
  parentPort!.postMessage(reply);
});
