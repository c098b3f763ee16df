// Start: config → database (migrated) → blob store → app → worker → first-start samples → ready.
import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { openRuntime, closeRuntime } from './runtime.js';
import { startMetricsListener } from './metrics/listener.js';
import { isEmptyInstance, loadSamples, printSampleAccounts, samplesDir } from './samples/load-samples.js';
import { refreshStatistics } from './db/client.js';
import { backfillVersionTexts } from './registry/version-texts-backfill.js';

const config = loadConfig();
const t0 = Date.now();
const deps = await openRuntime(config);
const app = await buildApp(deps);
await app.listen({ port: config.port, host: config.host });
const metricsListener =
  config.metricsPort === undefined
    ? undefined
    : await startMetricsListener(deps.metrics, config.host, config.metricsPort);
const where = config.databaseUrl
  ? `PostgreSQL (${config.databaseUrl.replace(/\/\/[^@]*@/, '//…@')})`
  : `PGlite in ${config.dataDir}/pglite`;
console.log(`Andecha is running at http://${config.host}:${config.port}/`);
if (metricsListener) console.log(`  metrics at http://${config.host}:${config.metricsPort}/metrics`);
console.log(
  `  data: ${where}; blobs in ${config.blobStore === 'fs' ? config.dataDir + '/blobs' : 's3://' + config.s3.bucket}`,
);
if (config.loadSamples && (await isEmptyInstance(deps))) {
  const report = await loadSamples(deps, samplesDir);
  console.log(`  loaded ${report.published.length} sample design versions (previews render in the background)`);
  printSampleAccounts(report);
  // lists and pages read while the samples were going in are stale now
  deps.events.changed();
}
// versions published before their instructions' texts were recorded: once, off the start's path
void backfillVersionTexts(deps.db.db, deps.blobs, deps.hooks.designChanged)
  .then((n) => {
    if (!n) return;
    console.log(`  recorded the instructions of ${n} earlier versions`);
    deps.events.changed(); // cached version documents and lists read before lack them
  })
  .catch((err) => console.warn(`instructions of earlier versions not recorded: ${err?.message ?? err}`));
await refreshStatistics(deps.db);
// ready means the first publish is served by warm threads (they warmed while the steps above ran)
await deps.pipeline?.warmedUp();
deps.startup.done = true;
// deliveries and received activities: the queue runs in the serving process (a CLI opening the runtime leaves it)
deps.federation?.start();
console.log(`  ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing in-flight requests and jobs…`);
  const timer = setTimeout(() => process.exit(1), 10_000);
  timer.unref();
  // requests get 6 s to finish, then their connections are dropped (an upload cut there writes no rows);
  // pipeline jobs get as long, then go back to the queue for the next worker
  const cutoff = setTimeout(() => app.server.closeAllConnections(), 6_000);
  cutoff.unref();
  metricsListener?.close();
  await Promise.all([app.close(), deps.pipeline?.worker.stop(6_000)]);
  clearTimeout(cutoff);
  await closeRuntime(deps);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
