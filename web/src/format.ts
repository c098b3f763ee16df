// Small display helpers: bytes, millimetres, ages, decimals and licence/ref labels, formatted for the interface's locale.
import { currentLocale, t } from './i18n';

/** A design or version as a link names it: the parts of `owner/slug@version`. */
export type DesignRef = { owner: string; slug: string; version?: string };

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const text = value.toLocaleString(currentLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
  // the unit's symbol is the locale's (French writes octets: ko, Mo)
  const messages: Record<string, string> = {
    B: 'format.bytes.B',
    kB: 'format.bytes.kB',
    MB: 'format.bytes.MB',
    GB: 'format.bytes.GB',
  };
  return t(messages[units[unit]], { value: text });
}

export function formatNumber(value: number | string | undefined | null, maxDigits = 2): string {
  if (value === undefined || value === null || value === '') return '—';
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) return String(value);
  return number.toLocaleString(currentLocale(), { maximumFractionDigits: maxDigits });
}

export function formatMoney(amount: number | string | undefined | null, currency?: string | null): string {
  if (amount === undefined || amount === null || amount === '') return '—';
  const number = Number(amount);
  if (!Number.isFinite(number)) return `${amount} ${currency ?? ''}`.trim();
  if (!currency) return number.toLocaleString(currentLocale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  try {
    return number.toLocaleString(currentLocale(), { style: 'currency', currency });
  } catch {
    return `${number.toFixed(2)} ${currency}`;
  }
}

export function formatDate(value: string | undefined | null): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date.toLocaleDateString(currentLocale(), { year: 'numeric', month: 'short', day: 'numeric' });
}

/** A moment in a conversation: the day and the time of day, in the reader's locale. */
export function formatDateTime(value: string | undefined | null): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date.toLocaleString(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatAge(seconds: number): string {
  if (seconds < 90) return t('format.age.justNow');
  const minutes = seconds / 60;
  if (minutes < 90) return t('format.age.minutes', { count: Math.round(minutes) });
  const hours = minutes / 60;
  if (hours < 36) return t('format.age.hours', { count: Math.round(hours) });
  return t('format.age.days', { count: Math.round(hours / 24) });
}

export function refLabel(ref: DesignRef | string | null | undefined): string | null {
  if (!ref) return null;
  if (typeof ref === 'string') return ref;
  return `${ref.owner}/${ref.slug}${ref.version ? `@${ref.version}` : ''}`;
}

/** `owner/slug@1.0.0` or a {owner, slug, version} object → its parts, for links. */
export function parseRef(ref: DesignRef | string | null | undefined): DesignRef | null {
  if (!ref) return null;
  if (typeof ref !== 'string') return ref;
  // the owner may be name@instance (a design mirrored from another instance)
  const match = /^([^/]+)\/([^/@]+)(?:@([^/@]+))?$/.exec(ref);
  return match ? { owner: match[1], slug: match[2], version: match[3] } : null;
}

export function formatMm(value: number): string {
  return `${formatNumber(value, value < 10 ? 2 : 1)} mm`;
}
