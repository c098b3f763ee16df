// Small display helpers: bytes, millimetres, ages, decimals and licence/ref labels.
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
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function formatNumber(value: number | string | undefined | null, maxDigits = 2): string {
  if (value === undefined || value === null || value === '') return '—';
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) return String(value);
  return number.toLocaleString(undefined, { maximumFractionDigits: maxDigits });
}

export function formatMoney(amount: number | string | undefined | null, currency?: string | null): string {
  if (amount === undefined || amount === null || amount === '') return '—';
  const number = Number(amount);
  if (!Number.isFinite(number)) return `${amount} ${currency ?? ''}`.trim();
  if (!currency) return number.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  try {
    return number.toLocaleString(undefined, { style: 'currency', currency });
  } catch {
    return `${number.toFixed(2)} ${currency}`;
  }
}

export function formatDate(value: string | undefined | null): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatAge(seconds: number): string {
  if (seconds < 90) return 'just now';
  const minutes = seconds / 60;
  if (minutes < 90) return `${Math.round(minutes)} minutes`;
  const hours = minutes / 60;
  if (hours < 36) return `${Math.round(hours)} hours`;
  return `${Math.round(hours / 24)} days`;
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
