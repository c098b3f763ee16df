// The version's README: fetched raw from the files endpoint, rendered from Markdown and sanitised.
import { useEffect, useState } from 'preact/hooks';
import { authHeaders, encodeFilePath, versionPath } from '../api';
import type { VersionDocument } from '../api-types';
import { t } from '../i18n';
import { Loading } from './StateViews';

export function readmePathOf(doc: VersionDocument): string | null {
  const named = typeof doc.manifest?.readme === 'string' ? doc.manifest.readme : null;
  if (named && doc.files.some((file) => file.path === named)) return named;
  const root = doc.files.find((file) => /^readme\.(md|markdown)$/i.test(file.path));
  return root?.path ?? named;
}

type Props = { owner: string; slug: string; version: string; path: string };

export function ReadmeView({ owner, slug, version, path }: Props) {
  const [html, setHtml] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setHtml(null);
    setFailed(false);
    const filesBase = versionPath(owner, slug, version, '/files');
    Promise.all([fetch(`${filesBase}/${encodeFilePath(path)}`, { headers: authHeaders() }), import('../markdown')])
      .then(async ([response, markdown]) => {
        if (!response.ok) throw new Error(String(response.status));
        const text = await response.text();
        if (!cancelled) setHtml(markdown.renderMarkdown(text, filesBase, path));
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [owner, slug, version, path]);

  if (failed) return null;
  return (
    <section class="section readme" aria-labelledby="readme-heading">
      <h2 id="readme-heading">{t('readmeView.heading')}</h2>
      {html === null ? (
        <Loading label={t('readmeView.loading')} />
      ) : (
        <div class="markdown" dangerouslySetInnerHTML={{ __html: html }} />
      )}
    </section>
  );
}
