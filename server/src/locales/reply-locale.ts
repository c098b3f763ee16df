// The language of a reply that carries words: the request's Accept-Language (else English), said back in
// Content-Language, with Vary: Accept-Language so a cache keeps one answer per language.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateLocale } from './catalogues.js';

export function replyLocale(req: FastifyRequest, reply: FastifyReply): string {
  const locale = negotiateLocale(req.headers['accept-language']);
  reply.header('content-language', locale);
  const vary = reply.getHeader('vary');
  const varies = typeof vary === 'string' ? vary : Array.isArray(vary) ? vary.join(', ') : '';
  if (!/(^|,)\s*(accept-language|\*)\s*(,|$)/i.test(varies))
    reply.header('vary', varies ? `${varies}, Accept-Language` : 'Accept-Language');
  return locale;
}
