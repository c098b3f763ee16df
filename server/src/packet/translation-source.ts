// Which instructions a packet prints: the version's translation in the packet's language when it carries one,
// matched as the web matches (exact tag, else the same language: `es-MX` for an `es` packet, `pt` for `pt-BR`),
// else the README. A packet in the README's own language prints the README even if a regional translation exists.
import type { Executor } from '../db/client.js';
import type { VersionRow } from '../registry/versions.js';
import { sourceLangOf, versionTranslation, versionTranslations } from '../registry/translations.js';
import { matchLocale } from '../locales/tags.js';

/** A translation printed instead of the README. */
export interface PacketTranslation {
  lang: string;
  path: string;
  markdown: string;
  /** the README it translates and that README's language */
  source: { path: string; lang: string };
  stale: boolean;
  /** the version whose README it was made from, and the first one after it whose README changed (when stale) */
  follows: string | null;
  changedIn: string | null;
}

/** The version's translation a packet in `lang` prints, or undefined when it prints the README. */
export async function packetTranslation(
  db: Executor,
  v: Pick<VersionRow, 'id' | 'designId' | 'version' | 'manifest'>,
  lang: string,
): Promise<PacketTranslation | undefined> {
  const listed = await versionTranslations(db, v);
  if (!listed.length) return undefined;
  const sourceLang = sourceLangOf((v.manifest ?? {}) as Record<string, unknown>);
  // the README's language among the candidates: an exact or same-language match on it keeps the README
  const chosen = matchLocale(lang, [sourceLang, ...listed.map((t) => t.lang)]);
  if (!chosen || chosen === sourceLang) return undefined;
  const t = await versionTranslation(db, v, chosen);
  if (!t) return undefined;
  return {
    lang: t.lang,
    path: t.path,
    markdown: t.markdown,
    source: { path: t.source.path, lang: t.source.lang },
    stale: t.stale,
    follows: t.follows,
    changedIn: t.changedIn,
  };
}
