// `npm run worker`: a pipeline worker alone (no HTTP), for the docker-compose worker service; several may
// run against one PostgreSQL.
import { loadConfig } from './config.js';
import { openRuntime, closeRuntime } from './runtime.js';
import { startMetricsListener } from './metrics/listener.js';

const config = { ...loadConfig(), runWorker: true };
if (!config.databaseUrl)
  console.warn('No DATABASE_URL: a separate worker needs the shared PostgreSQL (PGlite is single-process).');
const deps = await openRuntime(config);
// a worker has no HTTP app: its metrics (jobs, queue, blobs, pool, process) are on a listener of its own
const metricsListener =
  config.metricsPort === undefined
    ? undefined
    : await startMetricsListener(deps.metrics, config.host, config.metricsPort);
console.log(
  `Andecha worker running with ${config.workerThreads} thread(s) and ${config.backgroundThreads} for background work` +
    (metricsListener ? `; metrics at http://${config.host}:${config.metricsPort}/metrics` : ''),
);
const stop = async () => {
  setTimeout(() => process.exit(1), 10_000).unref();
  metricsListener?.close();
  // jobs still running after 6 s go back to the queue at once rather than after their lease
  await deps.pipeline?.worker.stop(6_000);
  await closeRuntime(deps);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
