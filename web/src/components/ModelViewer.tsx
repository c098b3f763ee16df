// The design's interactive 3D view: PNG preview first, then three.js (lazy-loaded) with fit and per-part visibility.
import { useEffect, useRef, useState } from 'preact/hooks';
import { authHeaders, encodeFilePath, query, versionPath } from '../api';
import type { VersionFile } from '../api-types';
import type { Viewer, ViewerFailure, ViewerPart, ViewerSource, ViewerSourceKind } from '../viewer/scene';

const directKinds: Record<string, ViewerSourceKind> = { stl: 'stl', obj: 'obj', ply: 'ply', glb: 'glb' };
const cadExtensions = /\.(stl|obj|ply|glb|gltf|3mf|step|stp|iges|igs|brep|brp|fcstd)$/i;
const autoLoadLimitBytes = 60 * 1024 * 1024;

export function isCadFile(file: VersionFile): boolean {
  return file.role === 'cad' || cadExtensions.test(file.path);
}

function extensionOf(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1).toLowerCase();
}

/** The best thing to show for a file: the GLB derivative if listed, the raw mesh when the browser can read it, else a GLB preview. */
export function viewerSourceFor(file: VersionFile, owner: string, slug: string, version: string): ViewerSource | null {
  const direct = directKinds[(file.format ?? '').toLowerCase()] ?? directKinds[extensionOf(file.path)];
  const raw: ViewerSource | undefined = direct ? { name: file.path, url: versionPath(owner, slug, version, `/files/${encodeFilePath(file.path)}`), kind: direct, headers: authHeaders() } : undefined;
  // the pipeline's GLB (welded, normals, parts named) first; the raw mesh while the GLB is still being made
  if (file.previews?.glb) return { name: file.path, url: file.previews.glb, kind: 'glb', headers: authHeaders(), fallback: raw };
  if (raw) return raw;
  if (file.pipeline?.state === 'done') {
    return { name: file.path, url: versionPath(owner, slug, version, `/previews/${encodeFilePath(file.path)}${query({ format: 'glb' })}`), kind: 'glb', headers: authHeaders() };
  }
  return null;
}

export function previewUrlFor(file: VersionFile, owner: string, slug: string, version: string, size = 512, format: 'png' | 'webp' = 'png'): string {
  const listed = format === 'png' ? file.previews?.png : file.previews?.webp;
  if (listed && size === 512) return listed;
  return versionPath(owner, slug, version, `/previews/${encodeFilePath(file.path)}${query({ size, format })}`);
}

function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

type Props = { owner: string; slug: string; version: string; files: VersionFile[] };
type ViewerState = 'idle' | 'loading' | 'ready' | 'no-webgl' | 'failed';

export function ModelViewer({ owner, slug, version, files }: Props) {
  const cadFiles = files.filter(isCadFile);
  // a file the pipeline could not read will not load here either: its reason is in the file list
  const readable = cadFiles.filter((file) => file.pipeline?.state !== 'failed');
  const sources = readable.map((file) => viewerSourceFor(file, owner, slug, version)).filter((source): source is ViewerSource => source !== null);
  const sourceKey = sources.map((source) => source.url).join('|');
  const totalBytes = cadFiles.reduce((sum, file) => sum + file.size, 0);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewerRef = useRef<Viewer | null>(null);
  const [state, setState] = useState<ViewerState>('idle');
  const [drawn, setDrawn] = useState<string[]>([]);
  const [parts, setParts] = useState<ViewerPart[]>([]);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [failures, setFailures] = useState<ViewerFailure[]>([]);
  const [requested, setRequested] = useState(totalBytes <= autoLoadLimitBytes);
  const [previewFailed, setPreviewFailed] = useState(false);
  const previewFile = readable[0];
  const previewState = previewFile?.pipeline?.state;

  useEffect(() => setPreviewFailed(false), [previewState]);

  useEffect(() => {
    if (!requested || sources.length === 0 || !canvasRef.current) return;
    if (!webglAvailable()) {
      setState('no-webgl');
      return;
    }
    let cancelled = false;
    setState('loading');
    import('../viewer/scene')
      .then(({ createViewer }) => createViewer(canvasRef.current!, sources))
      .then((viewer) => {
        if (cancelled) return viewer.dispose();
        viewerRef.current = viewer;
        setParts(viewer.parts);
        setHidden(new Set());
        setFailures(viewer.failures);
        setDrawn(viewer.drawn);
        setState(viewer.parts.length > 0 ? 'ready' : 'failed');
      })
      .catch((error: Error) => {
        if (!cancelled) {
          setFailures([{ name: '3D view', message: error.message }]);
          setState('failed');
        }
      });
    return () => {
      cancelled = true;
      viewerRef.current?.dispose();
      viewerRef.current = null;
    };
  }, [sourceKey, requested]);

  if (cadFiles.length === 0) return null;
  if (readable.length === 0) {
    return (
      <section class="section viewer" aria-labelledby="viewer-heading">
        <h2 id="viewer-heading" class="visually-hidden">
          3D view
        </h2>
        <div class="viewer-stage viewer-unavailable">
          <p class="viewer-status" role="status">
            No 3D view for this version: the pipeline could not read {cadFiles.length === 1 ? cadFiles[0].path : `its ${cadFiles.length} models`}. The reason is in the file list
            below.
          </p>
        </div>
      </section>
    );
  }

  const showPreview = state !== 'ready' && previewFile && !previewFailed;
  const toggle = (id: string, visible: boolean) => {
    viewerRef.current?.setPartVisible(id, visible);
    setHidden((current) => {
      const next = new Set(current);
      if (visible) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  return (
    <section class="section viewer" aria-labelledby="viewer-heading">
      <h2 id="viewer-heading" class="visually-hidden">
        3D view
      </h2>
      <div class={`viewer-stage viewer-${state}`}>
        <canvas
          ref={canvasRef}
          class="viewer-canvas"
          data-state={state}
          data-drawn={drawn.join(' ')}
          tabIndex={0}
          aria-label="Interactive 3D model: drag to orbit, scroll to zoom, right-drag to pan"
          role="img"
        />
        {showPreview && (
          <img
            class="viewer-preview"
            src={previewUrlFor(previewFile, owner, slug, version)}
            alt={`Rendered preview of ${previewFile.path}`}
            onError={() => setPreviewFailed(true)}
          />
        )}
        {state !== 'ready' && (
          <p class="viewer-status" role="status">
            {state === 'loading' && 'Loading the 3D model…'}
            {state === 'no-webgl' && 'This browser cannot show 3D (no WebGL): showing the rendered preview.'}
            {state === 'failed' && 'The 3D model could not be shown here; the rendered preview stays visible.'}
            {state === 'idle' && !requested && (
              <button type="button" class="button" onClick={() => setRequested(true)}>
                Load 3D view ({Math.round(totalBytes / 1e6)} MB)
              </button>
            )}
            {state === 'idle' && requested && sources.length === 0 && 'The 3D view appears once the pipeline has processed the files.'}
          </p>
        )}
      </div>
      {state === 'ready' && (
        <div class="viewer-controls">
          <button type="button" class="button button-quiet button-small" onClick={() => viewerRef.current?.fit()}>
            Fit to view
          </button>
          {parts.length > 1 && (
            <fieldset class="viewer-parts">
              <legend>Parts</legend>
              {parts.map((part, index) => (
                <label key={part.id} class="check">
                  <input type="checkbox" checked={!hidden.has(part.id)} onChange={(event) => toggle(part.id, event.currentTarget.checked)} />
                  <span class={`swatch swatch-${(index * 2) % 8}`} aria-hidden="true" />
                  {part.name}
                </label>
              ))}
            </fieldset>
          )}
        </div>
      )}
      {failures.length > 0 && (
        <ul class="viewer-failures">
          {failures.map((failure) => (
            <li key={failure.name}>
              {failure.name}: {failure.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
