// The language of a reply that carries words: the request's Accept-Language (else English), said back in
// Content-Language, with Vary: Accept-Language so a cache keeps one answer per language.
import { negotiateLocale } from './catalogues.js';

/** What this needs of a Fastify request and reply (structural, so the locales stay free of HTTP). */
interface WordedRequest {
  headers: { 'accept-language'?: string };
}
interface WordedReply {
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}

export function replyLocale(req: WordedRequest, reply: WordedReply): string {
  const locale = negotiateLocale(req.headers['accept-language']);
  reply.header('content-language', locale);
  const vary = reply.getHeader('vary');
  const varies = typeof vary === 'string' ? vary : Array.isArray(vary) ? vary.join(', ') : '';
  if (!/(^|,)\s*(accept-language|\*)\s*(,|$)/i.test(varies))
    reply.header('vary', varies ? `${varies}, Accept-Language` : 'Accept-Language');
  return locale;
}
