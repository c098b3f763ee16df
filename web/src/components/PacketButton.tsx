// "Print build packet": the version's packet PDF for N units, shown once the server answers for it (200, or 202
// while the pipeline is still making it). The link asks with wait=1, so the server holds the request while the
// pipeline makes the packet instead of answering 202 to a person.
import { useEffect, useId, useState } from 'preact/hooks';
import { authHeaders, query, versionPath } from '../api';
import { currentLocale, t } from '../i18n';

export function usePacketAvailable(url: string | null): boolean {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    const ok = (status: number) => status === 200 || status === 202;
    fetch(url, { method: 'HEAD', headers: authHeaders() })
      .then((response) =>
        ok(response.status) || response.status !== 405
          ? response.status
          : fetch(url, { headers: authHeaders() }).then((r) => r.status),
      )
      .then((status) => !cancelled && setAvailable(ok(status)))
      .catch(() => !cancelled && setAvailable(false));
    return () => {
      cancelled = true;
    };
  }, [url]);
  return available;
}

type Props = { owner: string; slug: string; version: string; units: number };

export function PacketButton({ owner, slug, version, units }: Props) {
  const available = usePacketAvailable(versionPath(owner, slug, version, `/packet.pdf${query({ units: 1 })}`));
  const [count, setCount] = useState(String(units));
  const id = useId();
  useEffect(() => setCount(String(units)), [units]);
  if (!available) return null;
  const n = Math.min(10000, Math.max(1, Number.parseInt(count, 10) || 1));
  return (
    <div class="packet-control" role="group" aria-label={t('packetButton.group')}>
      <label for={id} class="field-label">
        {t('packetButton.packetFor')}
      </label>
      <input
        id={id}
        type="number"
        min={1}
        max={10000}
        step={1}
        inputMode="numeric"
        name="packet-units"
        value={count}
        onInput={(event) => setCount(event.currentTarget.value)}
      />
      <span aria-hidden="true">{t('packetButton.units')}</span>
      <a
        class="button button-quiet"
        href={versionPath(owner, slug, version, `/packet.pdf${query({ units: n, wait: 1, lang: currentLocale() })}`)}
        target="_blank"
        rel="noopener"
      >
        {t('packetButton.print')}
        <span class="visually-hidden">{t('packetButton.forUnits', { count: n })}</span>
      </a>
    </div>
  );
}
