// Blob store operations and errors, counted by wrapping the store every domain is handed.
import { Counter, type Registry } from 'prom-client';
import { BlobTooLargeError, type BlobStore } from '../storage/blob-store.js';

export interface BlobMetrics {
  operations: Counter<'operation'>;
  errors: Counter<'operation'>;
}

export const blobMetrics = (registry: Registry): BlobMetrics => ({
  operations: new Counter({
    name: 'andecha_blob_operations_total',
    help: 'Blob store calls by operation (put, get, stat, delete…)',
    labelNames: ['operation'],
    registers: [registry],
  }),
  errors: new Counter({
    name: 'andecha_blob_errors_total',
    help: 'Blob store calls that failed, by operation',
    labelNames: ['operation'],
    registers: [registry],
  }),
});

const counted = new Set<keyof BlobStore>([
  'put',
  'putBuffer',
  'get',
  'getBuffer',
  'has',
  'stat',
  'delete',
  'clearAbandonedUploads',
  'ping',
]);

/**
 * The store with each call counted, and each rejected call (but an upload over its limit) counted as an error. Calls the store makes on itself
 * are not counted twice: methods run on the store, not on the wrapper. (A stream from `get` failing midway, or a
 * `list` iteration, is not an error here: its caller sees and reports it.)
 */
export function meteredBlobStore(store: BlobStore, metrics: BlobMetrics): BlobStore {
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      const method = (value as (...a: unknown[]) => unknown).bind(target);
      if (!counted.has(prop as keyof BlobStore)) return method;
      const operation = String(prop);
      return async (...args: unknown[]) => {
        metrics.operations.inc({ operation });
        try {
          return await method(...args);
        } catch (err) {
          // an upload over its limit is the uploader's error, not the store's
          if (!(err instanceof BlobTooLargeError)) metrics.errors.inc({ operation });
          throw err;
        }
      };
    },
  });
}
