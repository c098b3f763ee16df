// A request body must keep arriving at a minimum rate: a slow-loris client trickling a multipart body would
// otherwise hold its connection (and a parser, a temp file) for ever. A fixed total time would cut off honest large
// uploads on slow links; a rate only cuts off those that are not really sending.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface SlowBodyOptions {
  /** bytes per second a body must average over each window; 0 turns the check off */
  minBytesPerSecond: number;
  windowMs: number;
}

export const slowBodiesPlugin = fp(async (app: FastifyInstance, options: SlowBodyOptions) => {
  if (options.minBytesPerSecond <= 0) return;
  const minPerWindow = (options.minBytesPerSecond * options.windowMs) / 1000;
  app.addHook('onRequest', (req, _reply, done) => {
    const raw = req.raw;
    const hasBody = raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0;
    const socket = raw.socket;
    if (!hasBody || !socket) return done();
    let lastRead = socket.bytesRead;
    const timer = setInterval(() => {
      if (raw.complete || raw.destroyed) return stop();
      const read = socket.bytesRead - lastRead;
      lastRead = socket.bytesRead;
      // bytes waiting in our own buffer mean we are the slow side (a busy store, a paused parser): not the client
      if (raw.readableLength > 0 || raw.isPaused()) return;
      if (read < minPerWindow) {
        req.log.warn({ read, windowMs: options.windowMs }, 'request body below the minimum rate; connection closed');
        stop();
        socket.destroy();
      }
    }, options.windowMs);
    timer.unref();
    const stop = () => clearInterval(timer);
    raw.once('end', stop);
    raw.once('close', stop);
    done();
  });
});
