// The worker's log: JSON lines in the shape of Fastify's request log (pino), each job's under its request id
// (`reqId`, the key Fastify's request lines use), so one grep finds a publish's request and its jobs.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** At LOG_LEVEL; `silent` writes nothing. Jobs that finish log at info, retries and failures at warn. */
export const jobLogger = (level: string): Logger => pino({ level, base: { name: 'pipeline', pid: process.pid } });
