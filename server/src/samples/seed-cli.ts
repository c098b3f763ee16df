// `npm run seed`: (re)loads the sample designs into this instance; versions already present are skipped.
import { loadConfig } from '../config.js';
import { openRuntime, closeRuntime } from '../runtime.js';
import { loadSamples, printSampleAccounts, samplesDir } from './load-samples.js';

const deps = await openRuntime({ ...loadConfig(), runWorker: false });
const report = await loadSamples(deps, samplesDir);
console.log(`published ${report.published.length} sample version(s), ${report.skipped.length} already present`);
printSampleAccounts(report);
console.log('Previews render when the registry runs (npm start).');
await closeRuntime(deps);
