// HTTP routes of stars: star and unstar a design (the count shows on its document and cards; explore sorts by it).
import type { FastifyInstance } from 'fastify';
import { requireWriter } from '../accounts/auth.js';
import { noContentReply } from '../schemas.js';
import type { DesignParams } from '../schema-types.js';
import { starDesign, unstarDesign } from './stars.js';

export async function starRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;
  for (const method of ['PUT', 'DELETE'] as const) {
    const write = method === 'PUT' ? starDesign : unstarDesign;
    app.route<{ Params: DesignParams }>({
      method,
      url: '/api/designs/:owner/:slug/star',
      schema: {
        tags: ['designs'],
        summary: method === 'PUT' ? 'Star a design (starring twice changes nothing)' : 'Take your star back',
        response: { 204: noContentReply },
      },
      // a mirrored design is starred here too: the star is the reader's, not a change of the design
      config: { changesDesign: true },
      handler: async (req, reply) => {
        await write(db, requireWriter(req).id, req.design.id);
        return reply.code(204).send();
      },
    });
  }
}
