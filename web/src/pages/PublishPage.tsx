// Publish page `/publish`: choose a design, add files, fill the schema-generated manifest, preview the BOM, upload with progress, watch the pipeline.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, designPath, uploadWithProgress } from '../api';
import type { ListReply, VersionDocument, VersionSummary } from '../api-types';
import { BomPreview } from '../components/BomPreview';
import { DesignChooser } from '../components/DesignChooser';
import { FileDropZone, type PickedFile } from '../components/FileDropZone';
import { PipelineProgress } from '../components/PipelineProgress';
import { ProgressBar } from '../components/ProgressBar';
import { ObjectFields, pruneEmpty } from '../components/SchemaForm';
import { ErrorNotice, SignInPrompt } from '../components/StateViews';
import { SelectField } from '../components/SelectField';
import { formatBytes } from '../format';
import { usePageTitle } from '../page-title';
import { setSearchParams, useLocation } from '../router';
import { manifestSchema } from '../schemas';
import { useSession } from '../session';
import { useApi } from '../use-api';

const primaryManifestFields = ['version', 'title', 'summary', 'changelog', 'licenses', 'readme'];

function looksLikeBom(path: string): boolean {
  return /\.(csv|tsv|json)$/i.test(path) && /(^|[/_\-. ])(bom|parts?[-_ ]?list|bill[-_ ]?of[-_ ]?materials)/i.test(path);
}

function nextPatch(version: string | undefined): string {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  return match ? `${match[1]}.${match[2]}.${Number(match[3]) + 1}` : '1.0.0';
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
  usePageTitle('Publish a version');
  const session = useSession();
  const location = useLocation();
  const selected = location.search.get('design') ?? '';
  const [owner, slug] = selected.split('/');
  const versions = useApi<ListReply<VersionSummary> | VersionSummary[]>(selected ? designPath(owner, slug, '/versions') : null);
  const latest = versions.status === 'ok' ? (Array.isArray(versions.data) ? versions.data : versions.data.items)[0]?.version : undefined;

  const [files, setFiles] = useState<PickedFile[]>([]);
  const [bomPath, setBomPath] = useState<string>('');
  const [manifest, setManifest] = useState<Record<string, unknown>>({ version: '1.0.0' });
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [published, setPublished] = useState<VersionDocument | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const schema = useMemo(manifestSchema, []);

  useEffect(() => {
    if (versions.status === 'ok' || versions.status === 'missing') setManifest((current) => ({ ...current, version: latest ? nextPatch(latest) : '1.0.0' }));
  }, [versions.status, latest]);

  if (!session.token || !session.handle)
    return (
      <section class="page narrow">
        <h1>Publish a version</h1>
        <SignInPrompt action="publish designs" />
      </section>
    );

  function addFiles(picked: PickedFile[]) {
    setFiles((current) => {
      const byPath = new Map(current.map((entry) => [entry.path, entry]));
      for (const entry of picked) byPath.set(entry.path, entry);
      const merged = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
      if (!bomPath) setBomPath(merged.find((entry) => looksLikeBom(entry.path))?.path ?? '');
      if (!manifest.readme && !merged.some((entry) => /^readme\.md$/i.test(entry.path))) {
        const readme = merged.find((entry) => /(^|\/)readme\.md$/i.test(entry.path));
        if (readme) setManifest((m) => ({ ...m, readme: readme.path }));
      }
      return merged;
    });
  }

  const bomFile = files.find((entry) => entry.path === bomPath);
  const uploadFiles = files.filter((entry) => entry.path !== bomPath);
  const partSizes = [bomFile?.file.size ?? 0, ...uploadFiles.map((entry) => entry.file.size)];
  const fractions = progress ? perFileProgress(partSizes, progress.loaded, progress.total) : [];

  async function publish(event: Event) {
    event.preventDefault();
    setError(null);
    const form = new FormData();
    form.append('manifest', JSON.stringify(pruneEmpty(manifest) ?? {}));
    if (bomFile) form.append('bom', bomFile.file, bomFile.path.split('/').pop());
    for (const entry of uploadFiles) form.append('files', entry.file, entry.path);
    setProgress({ loaded: 0, total: 1 });
    try {
      const doc = await uploadWithProgress<VersionDocument>(designPath(owner, slug, '/versions'), form, (loaded, total) => setProgress({ loaded, total }));
      setPublished(doc);
    } catch (err) {
      setError(err as ApiError);
      setProgress(null);
    }
  }

  if (published) {
    return (
      <section class="page narrow">
        <h1>Published {selected}@{published.version}</h1>
        <p class="lede">Your files are stored. The pipeline now reads each CAD file and renders its previews.</p>
        <PipelineProgress owner={owner} slug={slug} version={published.version} />
      </section>
    );
  }

  const uploading = progress !== null;
  return (
    <section class="page narrow publish-page">
      <h1>Publish a version</h1>
      <p class="lede">A version is frozen once published: files, parts list and manifest. A change is a new version.</p>

      <section class="card step" aria-labelledby="step-design">
        <h2 id="step-design">
          <span class="step-number">1</span> Design
        </h2>
        <DesignChooser handle={session.handle} selected={selected} onSelect={(ref) => setSearchParams({ design: ref || null })} />
      </section>

      <form class="publish-form" onSubmit={publish}>
        <section class="card step" aria-labelledby="step-files">
          <h2 id="step-files">
            <span class="step-number">2</span> Files
          </h2>
          <FileDropZone onFiles={addFiles} />
          {files.length > 0 && (
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
                          {entry.path === bomPath && <span class="chip">BOM</span>}
                          <button type="button" class="button button-quiet button-small" onClick={() => setFiles(files.filter((f) => f !== entry))}>
                            Remove <span class="visually-hidden">{entry.path}</span>
                          </button>
                        </>
                      )}
                    </li>
                  );
                })}
              </ul>
              <p class="muted">
                {files.length} file{files.length === 1 ? '' : 's'}, {formatBytes(files.reduce((sum, entry) => sum + entry.file.size, 0))}
              </p>
            </>
          )}
        </section>

        <section class="card step" aria-labelledby="step-bom">
          <h2 id="step-bom">
            <span class="step-number">3</span> Bill of materials
          </h2>
          <SelectField label="BOM file (CSV, TSV or JSON)" inline={false} name="bom" value={bomPath} onChange={setBomPath}>
            <option value="">No BOM</option>
            {files
              .filter((entry) => /\.(csv|tsv|txt|json)$/i.test(entry.path))
              .map((entry) => (
                <option key={entry.path} value={entry.path}>
                  {entry.path}
                </option>
              ))}
          </SelectField>
          {bomFile && <BomPreview file={bomFile.file} />}
        </section>

        <section class="card step" aria-labelledby="step-manifest">
          <h2 id="step-manifest">
            <span class="step-number">4</span> Manifest
          </h2>
          <ObjectFields path="" schema={schema} root={schema} value={manifest} onChange={setManifest} only={primaryManifestFields} />
          {Object.keys(schema.properties ?? {}).some((key) => !primaryManifestFields.includes(key)) && (
            <details class="more-fields">
              <summary>More manifest fields</summary>
              <ObjectFields path="" schema={schema} root={schema} value={manifest} onChange={setManifest} except={primaryManifestFields} />
            </details>
          )}
        </section>

        {error && <ErrorNotice error={error} />}
        {uploading && progress && <ProgressBar label="Overall" value={progress.loaded} max={progress.total} state={progress.loaded >= progress.total ? 'processing' : 'uploading'} />}
        <div class="actions">
          <button class="button button-large" type="submit" disabled={!selected || uploading || files.length === 0}>
            {uploading ? 'Publishing…' : `Publish${selected ? ` ${selected}@${String(manifest.version ?? '')}` : ''}`}
          </button>
          {!selected && <span class="muted">Choose or create a design first.</span>}
        </div>
      </form>
    </section>
  );
}
