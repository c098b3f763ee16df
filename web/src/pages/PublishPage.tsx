// Publish page `/publish`: choose a design, add files, fill the schema-generated manifest, preview the BOM, upload with progress, watch the pipeline.
// `?from=VERSION` starts a new version from that one: its manifest, files and BOM carried by reference, the diff shown before publishing.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, designPath, uploadWithProgress, versionPath } from '../api';
import type { Design, Licenses, VersionDocument, VersionSummary, VersionList } from '../api-types';
import { BomPreview } from '../components/BomPreview';
import { CarriedFields } from '../components/CarriedFields';
import { DesignChooser } from '../components/DesignChooser';
import { DesignEditForm } from '../components/DesignEditForm';
import { NewVersionDiff } from '../components/NewVersionDiff';
import { FileDropZone, type PickedFile } from '../components/FileDropZone';
import { PipelineProgress } from '../components/PipelineProgress';
import { ProgressBar } from '../components/ProgressBar';
import { ObjectFields, pruneEmpty } from '../components/SchemaForm';
import { ErrorNotice, SignInPrompt } from '../components/StateViews';
import { SelectField } from '../components/SelectField';
import { formatBytes } from '../format';
import { t } from '../i18n';
import { versionWarningText } from '../version-warning-text';
import { slots, withElements } from '../message-elements';
import { usePageTitle } from '../page-title';
import { setSearchParams, useLocation } from '../router';
import { manifestSchema } from '../schemas';
import { useSession } from '../session';
import { dataOf, useApi } from '../use-api';
import { restoreDropped, startingManifest } from '../new-version';
import { nextVersions, versionDiff, type Draft } from '../version-diff';

/** Asked in the Design step (they belong to the design, every version shows them), so never in the manifest step. */
const designFields = ['title', 'summary', 'category', 'tags', 'licenses'];
const primaryManifestFields = ['version', 'changelog', 'readme'];
/** The BOM select's value for "keep the BOM of the version this one starts from". */
const carriedBomValue = '@carried';

type CarriedFile = { path: string; sha256: string; size: number };

/** The manifest as sent: fields of the schema tidied of empty values, every other field exactly as carried. */
function manifestToSend(manifest: Record<string, unknown>, schemaKeys: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(manifest)) {
    const sent = schemaKeys.has(key) ? pruneEmpty(value) : value;
    if (sent !== undefined) out[key] = sent;
  }
  return out;
}

function looksLikeBom(path: string): boolean {
  return (
    /\.(csv|tsv|json)$/i.test(path) && /(^|[/_\-. ])(bom|parts?[-_ ]?list|bill[-_ ]?of[-_ ]?materials)/i.test(path)
  );
}

/** Per-file progress from one multipart upload: the body carries the parts in order, so bytes map onto files. */
export function perFileProgress(sizes: number[], loaded: number, total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0) || 1;
  const overhead = Math.max(0, total - sum);
  let remaining = Math.max(0, loaded - overhead / 2);
  return sizes.map((size) => {
    const done = Math.min(size, remaining);
    remaining -= done;
    return size > 0 ? done / size : loaded >= total ? 1 : 0;
  });
}

export function PublishPage() {
  const session = useSession();
  const location = useLocation();
  const selected = location.search.get('design') ?? '';
  const fromVersion = location.search.get('from') ?? '';
  const [owner, slug] = selected.split('/');
  const versions = useApi<VersionList | VersionSummary[]>(selected ? designPath(owner, slug, '/versions') : null);
  const latest =
    versions.status === 'ok'
      ? (Array.isArray(versions.data) ? versions.data : versions.data.items)[0]?.version
      : undefined;
  const design = useApi<Design>(selected ? designPath(owner, slug) : null);
  const previous = useApi<VersionDocument>(selected && fromVersion ? versionPath(owner, slug, fromVersion) : null);
  const designInfo = dataOf(design);
  const previousDoc = previous.status === 'ok' ? previous.data : undefined;
  usePageTitle(fromVersion ? t('publishPage.newVersionOf', { design: selected }) : t('publishPage.title'));

  const [files, setFiles] = useState<PickedFile[]>([]);
  const [carried, setCarried] = useState<CarriedFile[]>([]);
  const [carriedBom, setCarriedBom] = useState<{ path: string; sha256: string } | null>(null);
  const [startedFrom, setStartedFrom] = useState('');
  const [bomPath, setBomPath] = useState<string>('');
  const [manifest, setManifest] = useState<Record<string, unknown>>({ version: '1.0.0' });
  const [editingDesign, setEditingDesign] = useState(false);
  const [confirmingDrops, setConfirmingDrops] = useState(false);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [published, setPublished] = useState<VersionDocument | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const schema = useMemo(manifestSchema, []);
  const schemaKeys = useMemo(() => new Set(Object.keys(schema.properties ?? {})), [schema]);

  useEffect(() => {
    if (versions.status === 'ok' || versions.status === 'missing')
      setManifest((current) => ({ ...current, version: nextVersions(latest)[0] }));
  }, [versions.status, latest]);

  // a new version starts once from the version it follows (and again if the maker switches to another one)
  useEffect(() => {
    if (!previousDoc || !designInfo) return;
    const start = `${selected}@${previousDoc.version}`;
    if (startedFrom === start) return;
    setStartedFrom(start);
    setManifest(
      startingManifest(previousDoc.manifest, designInfo.licenses, nextVersions(latest ?? previousDoc.version)[0]),
    );
    setCarried(previousDoc.files.map(({ path, sha256, size }) => ({ path, sha256, size })));
    setFiles([]);
    const bom = previousDoc.bom;
    setCarriedBom(bom?.sha256 && bom.filename ? { path: bom.filename, sha256: bom.sha256 } : null);
    setBomPath(bom?.sha256 && bom.filename ? carriedBomValue : '');
  }, [previousDoc, designInfo, selected, latest, startedFrom]);

  if (!session.token || !session.handle)
    return (
      <section class="page narrow">
        <h1>{t('publishPage.title')}</h1>
        <SignInPrompt message="publishPage.signInPrompt" />
      </section>
    );

  function addFiles(picked: PickedFile[]) {
    setFiles((current) => {
      const byPath = new Map(current.map((entry) => [entry.path, entry]));
      for (const entry of picked) byPath.set(entry.path, entry);
      const merged = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
      // a new file named like the carried BOM is the new BOM
      const newBom = bomPath === carriedBomValue ? merged.find((entry) => entry.path === carriedBom?.path) : undefined;
      if (newBom) setBomPath(newBom.path);
      else if (!bomPath) setBomPath(merged.find((entry) => looksLikeBom(entry.path))?.path ?? '');
      if (!manifest.readme && !merged.some((entry) => /^readme\.md$/i.test(entry.path))) {
        const readme = merged.find((entry) => /(^|\/)readme\.md$/i.test(entry.path));
        if (readme) setManifest((m) => ({ ...m, readme: readme.path }));
      }
      return merged;
    });
  }

  const bomFile = files.find((entry) => entry.path === bomPath);
  const uploadFiles = files.filter((entry) => entry.path !== bomPath);
  // a carried file replaced by a new upload of the same path is not carried
  const carriedKept = carried.filter((entry) => !files.some((file) => file.path === entry.path));
  const carriedBomKept = bomPath === carriedBomValue ? carriedBom : null;
  const partSizes = [bomFile?.file.size ?? 0, ...uploadFiles.map((entry) => entry.file.size)];
  const fractions = progress ? perFileProgress(partSizes, progress.loaded, progress.total) : [];
  const toSend = manifestToSend(manifest, schemaKeys);
  const draft: Draft = {
    manifest: { ...toSend, licenses: { ...designInfo?.licenses, ...(toSend.licenses as Licenses | undefined) } },
    files: [...uploadFiles.map((entry) => ({ path: entry.path })), ...carriedKept],
    bom: carriedBomKept
      ? { kind: 'carried' }
      : bomFile
        ? { kind: 'uploaded', name: bomFile.path.split('/').pop() }
        : { kind: 'none' },
  };
  const diff = previousDoc ? versionDiff(previousDoc, draft) : null;
  const totalBytes =
    files.reduce((sum, entry) => sum + entry.file.size, 0) + carriedKept.reduce((sum, entry) => sum + entry.size, 0);
  const fileCount = files.length + carriedKept.length;

  async function publish(event: Event) {
    event.preventDefault();
    if (diff && diff.dropped.length > 0 && !confirmingDrops) {
      setConfirmingDrops(true);
      return;
    }
    setConfirmingDrops(false);
    setError(null);
    const form = new FormData();
    form.append('manifest', JSON.stringify(toSend));
    if (carriedKept.length)
      form.append('existing', JSON.stringify(carriedKept.map(({ path, sha256 }) => ({ path, sha256 }))));
    if (carriedBomKept) form.append('existingBom', JSON.stringify(carriedBomKept));
    if (bomFile) form.append('bom', bomFile.file, bomFile.path.split('/').pop());
    for (const entry of uploadFiles) form.append('files', entry.file, entry.path);
    setProgress({ loaded: 0, total: 1 });
    try {
      const doc = await uploadWithProgress<VersionDocument>(
        designPath(owner, slug, '/versions'),
        form,
        (loaded, total) => setProgress({ loaded, total }),
      );
      setPublished(doc);
    } catch (err) {
      setError(err as ApiError);
      setProgress(null);
    }
  }

  if (published) {
    return (
      <section class="page narrow">
        <h1>{t('publishPage.published', { ref: `${selected}@${published.version}` })}</h1>
        <p class="lede">{t('publishPage.stored')}</p>
        {(published.warnings ?? []).length > 0 && (
          <div class="notice notice-warning" role="status">
            <p>{t('publishPage.publishedWithWarnings')}</p>
            <ul>
              {published.warnings!.map((warning) => (
                <li key={warning.field}>{versionWarningText(warning)}</li>
              ))}
            </ul>
          </div>
        )}
        <PipelineProgress owner={owner} slug={slug} version={published.version} />
      </section>
    );
  }

  const uploading = progress !== null;
  const suggestions = latest ? nextVersions(latest) : [];
  const bomOptions = files.filter((entry) => /\.(csv|tsv|txt|json)$/i.test(entry.path));
  return (
    <section class="page narrow publish-page">
      <h1>
        {fromVersion
          ? t('publishPage.newVersionOf', { design: designInfo?.title ?? selected })
          : t('publishPage.title')}
      </h1>
      {previousDoc ? (
        <p class="lede">{t('publishPage.startsFrom', { version: previousDoc.version })}</p>
      ) : (
        <p class="lede">{t('publishPage.frozen')}</p>
      )}
      {previous.status === 'missing' && (
        <ErrorNotice error={t('publishPage.fromMissing', { version: fromVersion, design: selected })} />
      )}
      {previous.status === 'error' && <ErrorNotice error={previous.error} onRetry={previous.reload} />}

      <section class="card step" aria-labelledby="step-design">
        <h2 id="step-design">
          <span class="step-number">1</span> {t('publishPage.stepDesign')}
        </h2>
        <DesignChooser
          handle={session.handle}
          selected={selected}
          onSelect={(ref) => setSearchParams({ design: ref || null, from: null })}
        />
        {designInfo && !editingDesign && (
          <div class="design-facts">
            <p>
              <strong>{designInfo.title}</strong>
              {designInfo.summary ? ` — ${designInfo.summary}` : ''}
            </p>
            <ul class="chips" aria-label={t('publishPage.designLicences')}>
              {Object.entries(designInfo.licenses ?? {}).map(([kind, spdx]) => (
                <li key={kind} class="chip chip-licence">
                  {kind}: {spdx}
                </li>
              ))}
            </ul>
            <button type="button" class="button button-quiet button-small" onClick={() => setEditingDesign(true)}>
              {t('publishPage.editDesign')}
            </button>
          </div>
        )}
        {designInfo && editingDesign && (
          <DesignEditForm
            design={designInfo}
            onCancel={() => setEditingDesign(false)}
            onSaved={() => {
              setEditingDesign(false);
              design.reload();
            }}
          />
        )}
      </section>

      <form class="publish-form" onSubmit={publish}>
        <section class="card step" aria-labelledby="step-files">
          <h2 id="step-files">
            <span class="step-number">2</span> {t('publishPage.stepFiles')}
          </h2>
          <FileDropZone onFiles={addFiles} />
          {fileCount > 0 && (
            <>
              <ul class="picked-files">
                {files.map((entry) => {
                  const index = entry.path === bomPath ? 0 : uploadFiles.indexOf(entry) + 1;
                  return (
                    <li key={entry.path}>
                      {uploading ? (
                        <ProgressBar label={entry.path} value={fractions[index] ?? 0} />
                      ) : (
                        <>
                          <span class="mono">{entry.path}</span>
                          <span class="muted"> {formatBytes(entry.file.size)}</span>
                          {entry.path === bomPath && <span class="chip">{t('publishPage.bomChip')}</span>}
                          {carried.some((old) => old.path === entry.path) && (
                            <span class="chip chip-changed">
                              {t('publishPage.replaces', { version: previousDoc?.version })}
                            </span>
                          )}
                          <button
                            type="button"
                            class="button button-quiet button-small"
                            onClick={() => setFiles(files.filter((f) => f !== entry))}
                          >
                            {withElements(t('publishPage.remove', { ...slots('file') }), {
                              file: <span class="visually-hidden">{entry.path}</span>,
                            })}
                          </button>
                        </>
                      )}
                    </li>
                  );
                })}
                {carriedKept.map((entry) => (
                  <li key={`carried:${entry.path}`} class="carried-file">
                    <span class="mono">{entry.path}</span>
                    <span class="muted"> {formatBytes(entry.size)}</span>
                    <span class="chip">{t('publishPage.keptFrom', { version: previousDoc?.version })}</span>
                    {!uploading && (
                      <button
                        type="button"
                        class="button button-quiet button-small"
                        onClick={() => setCarried(carried.filter((old) => old !== entry))}
                      >
                        {withElements(t('publishPage.remove', { ...slots('file') }), {
                          file: <span class="visually-hidden">{entry.path}</span>,
                        })}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
              <p class="muted">
                {t('publishPage.fileCount', { count: fileCount, size: formatBytes(totalBytes) })}
                {carriedKept.length > 0 &&
                  ` ${t('publishPage.keptCount', { count: carriedKept.length, version: previousDoc?.version })}`}
              </p>
            </>
          )}
          {previousDoc && previousDoc.files.some((old) => !carried.some((entry) => entry.path === old.path)) ? (
            <button
              type="button"
              class="button button-quiet button-small"
              onClick={() => setCarried(previousDoc!.files.map(({ path, sha256, size }) => ({ path, sha256, size })))}
            >
              {t('publishPage.putBack', { version: previousDoc?.version })}
            </button>
          ) : null}
        </section>

        <section class="card step" aria-labelledby="step-bom">
          <h2 id="step-bom">
            <span class="step-number">3</span> {t('publishPage.stepBom')}
          </h2>
          <SelectField label={t('publishPage.bomFile')} inline={false} name="bom" value={bomPath} onChange={setBomPath}>
            <option value="">{t('publishPage.noBom')}</option>
            {carriedBom && (
              <option value={carriedBomValue}>
                {t('publishPage.carriedBomOption', { file: carriedBom.path, version: previousDoc?.version })}
              </option>
            )}
            {bomOptions.map((entry) => (
              <option key={entry.path} value={entry.path}>
                {entry.path}
              </option>
            ))}
          </SelectField>
          {bomFile && <BomPreview file={bomFile.file} />}
          {carriedBomKept && <p class="muted">{t('publishPage.bomKept', { version: previousDoc?.version })}</p>}
        </section>

        <section class="card step" aria-labelledby="step-manifest">
          <h2 id="step-manifest">
            <span class="step-number">4</span> {t('publishPage.stepVersion')}
          </h2>
          <ObjectFields
            path=""
            schema={schema}
            root={schema}
            value={manifest}
            onChange={setManifest}
            only={primaryManifestFields}
          />
          {suggestions.length > 1 && (
            <p class="version-suggestions">
              <span class="muted">{t('publishPage.after', { version: latest })} </span>
              {suggestions.map((next, i) => (
                <button
                  key={next}
                  type="button"
                  class="button button-quiet button-small"
                  aria-pressed={manifest.version === next}
                  onClick={() => setManifest({ ...manifest, version: next })}
                >
                  {next}{' '}
                  <span class="muted">
                    {[t('publishPage.bump.fix'), t('publishPage.bump.feature'), t('publishPage.bump.breaking')][i]}
                  </span>
                </button>
              ))}
            </p>
          )}
          <details class="more-fields" open={previousDoc ? true : undefined}>
            <summary>{t('publishPage.moreFields')}</summary>
            <ObjectFields
              path=""
              schema={schema}
              root={schema}
              value={manifest}
              onChange={setManifest}
              except={[...primaryManifestFields, ...designFields]}
            />
          </details>
          {previousDoc && (
            <CarriedFields
              manifest={manifest}
              keys={Object.keys(manifest).filter((key) => !schemaKeys.has(key) || designFields.includes(key))}
              from={previousDoc.version}
            />
          )}
        </section>

        {previousDoc && diff && (
          <section class="card step" aria-labelledby="step-diff">
            <h2 id="step-diff">
              <span class="step-number">5</span> {t('publishPage.stepChanges', { version: previousDoc.version })}
            </h2>
            <NewVersionDiff from={previousDoc.version} diff={diff} />
          </section>
        )}

        {confirmingDrops && diff && (
          <div
            class="notice notice-warning confirm-drops"
            role="alertdialog"
            aria-labelledby="confirm-drops-title"
            aria-describedby="confirm-drops-list"
          >
            <p id="confirm-drops-title">
              <strong>{t('publishPage.confirmDrops', { version: previousDoc?.version })}</strong>
            </p>
            <ul id="confirm-drops-list">
              {diff.dropped.map((warning) => (
                <li key={warning.field}>{versionWarningText(warning)}</li>
              ))}
            </ul>
            <p>{t('publishPage.confirmDropsExplain')}</p>
            <div class="actions">
              <button class="button" type="submit">
                {t('publishPage.publishAnyway')}
              </button>
              <button
                class="button button-quiet"
                type="button"
                onClick={() => {
                  setManifest(restoreDropped(manifest, previousDoc!.manifest, diff.dropped));
                  setConfirmingDrops(false);
                }}
              >
                {t('publishPage.keepThem')}
              </button>
            </div>
          </div>
        )}

        {error && <ErrorNotice error={error} />}
        {uploading && progress && (
          <ProgressBar
            label={t('publishPage.overall')}
            value={progress.loaded}
            max={progress.total}
            state={progress.loaded >= progress.total ? 'processing' : 'uploading'}
          />
        )}
        {!confirmingDrops && (
          <div class="actions">
            <button class="button button-large" type="submit" disabled={!selected || uploading || fileCount === 0}>
              {uploading
                ? t('publishPage.publishing')
                : selected
                  ? t('publishPage.publishRef', { ref: `${selected}@${String(manifest.version ?? '')}` })
                  : t('publishPage.publish')}
            </button>
            {!selected && <span class="muted">{t('publishPage.chooseFirst')}</span>}
          </div>
        )}
      </form>
    </section>
  );
}
