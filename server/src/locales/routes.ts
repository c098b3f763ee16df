// GET /api/locales: the languages this instance speaks, for clients choosing one (the CLI, the web's menu).
import type { FastifyInstance } from 'fastify';
import { defaultLocale, localeDirection, localeName, supportedLocales } from './catalogues.js';

export async function localeRoutes(app: FastifyInstance) {
  app.get(
    '/api/locales',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The languages of the interface, the build packet and problem documents',
        response: { 200: { $ref: 'locale-list#' } },
      },
    },
    async () => ({
      default: defaultLocale,
      items: supportedLocales().map((tag) => ({ tag, name: localeName(tag), dir: localeDirection(tag) })),
    }),
  );
}
