// HTTP requests by route template, method and status, with their durations.
import { Histogram, type Registry } from 'prom-client';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type HttpMetrics = Histogram<'route' | 'method' | 'status'>;

export const httpMetrics = (registry: Registry): HttpMetrics =>
  new Histogram({
    name: 'andecha_http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status code, and how long they took to answer',
    labelNames: ['route', 'method', 'status'],
    // uploads of large CAD files take minutes: the top buckets are for them
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });

/**
 * An onResponse hook recording each request. The label is the route's template (`/api/designs/:owner/:slug`),
 * never the URL: a label per URL would grow without bound. Requests no route matched share `unmatched`.
 */
export function recordHttpRequests(histogram: HttpMetrics) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    histogram.observe(
      { route: req.routeOptions.url ?? 'unmatched', method: req.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  };
}
