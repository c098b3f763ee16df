// The words of one person's email digest, text and HTML, in their language: what happened (each line a link to it),
// where to see everything, and why they get it and where to change that. Pure: rows in, a message out.
import { translator } from '../locales/translate.js';
import { defaultLocale, localeDirection, matchLocale } from '../locales/catalogues.js';
import type { NotificationSubject } from './tables.js';

export interface DigestRecipient {
  handle: string;
  locale: string | null;
  /** daily | weekly: how often they get it, as the footer says */
  cadence: 'daily' | 'weekly';
}

export interface DigestItem {
  kind: string;
  subject: NotificationSubject;
  actorHandle: string | null;
}

export interface DigestEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The catalogue's select key of a kind: `build-report` → `buildReport`, as the web's bell words them. */
const kindKey = (kind: string) => kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The digest of `items` (the newest first) for `to`; `more` notifications beyond them wait in the app. Links are
 * absolute on `publicUrl`; the settings link opens where the cadence is chosen.
 */
export function composeDigest(
  to: DigestRecipient,
  items: readonly DigestItem[],
  more: number,
  publicUrl: string,
): DigestEmail {
  const locale = (to.locale && matchLocale(to.locale)) || defaultLocale;
  const t = translator('email', locale);
  const origin = publicUrl.replace(/\/+$/, '');
  const instance = new URL(origin).host;
  const settingsUrl = `${origin}/settings/profile#digest`;
  const lines = items.map((n) => ({
    text: t('item', {
      kind: kindKey(n.kind),
      actor: n.actorHandle ?? t('someone'),
      title: n.subject.title ?? n.subject.design ?? '',
      version: n.subject.version ?? '',
    }),
    url: origin + n.subject.url,
  }));
  const subject = t('subject', { count: items.length + more, instance });
  const greeting = t('greeting', { handle: to.handle });
  const intro = t('intro', { instance });
  const moreLine = more ? t('more', { count: more }) : '';
  const openAll = t('openAll', { url: `${origin}/` });
  const why = t('why', { cadence: to.cadence, instance, url: settingsUrl });
  const text = [
    greeting,
    intro,
    '',
    ...lines.map((l) => `- ${l.text}\n  ${l.url}`),
    ...(moreLine ? [moreLine] : []),
    '',
    openAll,
    '',
    '-- ',
    why,
    '',
  ].join('\n');
  const linked = (s: string, url: string) =>
    escapeHtml(s).replace(escapeHtml(url), `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`);
  const html = `<!doctype html>
<html lang="${escapeHtml(locale)}" dir="${localeDirection(locale)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5">
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(intro)}</p>
<ul>
${lines.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.text)}</a></li>`).join('\n')}
</ul>
${moreLine ? `<p>${escapeHtml(moreLine)}</p>\n` : ''}<p>${linked(openAll, `${origin}/`)}</p>
<hr>
<p style="font-size: smaller; color: #555">${linked(why, settingsUrl)}</p>
</body></html>
`;
  return { subject, text, html };
}
