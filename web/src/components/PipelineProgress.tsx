// Live pipeline progress of a just-published version: per-file states from SSE (polling as a fallback).
import { versionPath } from '../api';
import type { VersionDocument } from '../api-types';
import { useDesignEvents } from '../design-events';
import { t } from '../i18n';
import { designUrl } from '../router';
import { useApi } from '../use-api';
import { PipelineBadge } from './PipelineBadge';
import { ProgressBar } from './ProgressBar';
import { ErrorNotice, Loading } from './StateViews';

type Props = { owner: string; slug: string; version: string };

export function PipelineProgress({ owner, slug, version }: Props) {
  const doc = useApi<VersionDocument>(versionPath(owner, slug, version));
  const data = doc.status === 'ok' || doc.status === 'loading' ? doc.data : undefined;
  const finished = data?.pipeline?.state === 'done';
  useDesignEvents(`${owner}/${slug}`, Boolean(data) && !finished, doc.reload, 1500);

  if (doc.status === 'error') return <ErrorNotice error={doc.error} onRetry={doc.reload} />;
  if (!data) return <Loading label={t('pipelineProgress.waiting')} />;
  const ended = data.files.filter(
    (file) => file.pipeline?.state === 'done' || file.pipeline?.state === 'failed',
  ).length;
  return (
    <section class="card pipeline-progress" aria-labelledby="pipeline-heading">
      <h2 id="pipeline-heading">
        {t('pipelineProgress.heading', { version: data.version })} <PipelineBadge state={data.pipeline?.state} />
      </h2>
      <ProgressBar
        label={t('pipelineProgress.filesProcessed', { ended, count: data.files.length })}
        value={ended}
        max={data.files.length || 1}
        state={finished ? 'done' : undefined}
      />
      <ul class="pipeline-files" aria-live="polite">
        {data.files.map((file) => (
          <li key={file.path}>
            <span class="mono">{file.path}</span> <PipelineBadge state={file.pipeline?.state} />
            {file.pipeline?.error && <span class="file-error"> {file.pipeline.error}</span>}
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href={designUrl(owner, slug, data.version)}>
          {t('pipelineProgress.openDesign')}
        </a>
      </p>
    </section>
  );
}
