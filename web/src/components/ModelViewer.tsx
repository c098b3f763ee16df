// The design's interactive view: the version's assembly (with the circuit boards its manifest places), the one file
// opened from the file list or one board opened alone — a 3D model (PNG preview first, then three.js, lazy-loaded, with
// fit and per-part visibility) or a drawing shown flat.
import { useEffect, useRef, useState } from 'preact/hooks';
import { authHeaders, query, versionPath } from '../api';
import type { VersionFile } from '../api-types';
import { formatNumber } from '../format';
import { t } from '../i18n';
import { chooseView, isCadFile, previewUrlFor, type ModelChoice } from '../viewer/model-choice';
import { meshUnitMm, type SlabSpec, type VersionBoard } from '../viewer/board-placement';
import type { Viewer, ViewerFailure, ViewerPart, ViewerSourceKind } from '../viewer/scene';

const autoLoadLimitBytes = 60 * 1024 * 1024;

function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

type Props = {
  owner: string;
  slug: string;
  version: string;
  files: VersionFile[];
  /** the path of the file opened from the file list; null shows the version's assembly */
  opened: string | null;
  /** the version's circuit boards, and the id of the one opened alone (`?board=`), null for none */
  boards?: VersionBoard[];
  openedBoard?: string | null;
  /** the version's manifest: where its boards go, the units of its meshes */
  manifest?: unknown;
  onShowAssembly: () => void;
};
type ViewerState = 'idle' | 'loading' | 'ready' | 'no-webgl' | 'failed';

/** The picture shown while the model loads (or instead of it): the file's own preview, else the version's thumbnail. */
function stillPictureOf(
  choice: ModelChoice,
  owner: string,
  slug: string,
  version: string,
): { src: string; alt: string } | null {
  if (choice.kind === 'none') return null;
  if (choice.kind === 'board')
    return {
      src: `${choice.board.previews.top}${query({ size: 512, format: 'png' })}`,
      alt: t('modelViewer.previewOf', { path: choice.board.name }),
    };
  if (choice.file)
    return {
      src: previewUrlFor(choice.file, owner, slug, version),
      alt: t('modelViewer.previewOf', { path: choice.file.path }),
    };
  return {
    src: versionPath(owner, slug, version, `/thumbnail${query({ size: 512, format: 'png' })}`),
    alt: t('modelViewer.previewWhole'),
  };
}

function DrawingView({
  file,
  owner,
  slug,
  version,
}: {
  file: VersionFile;
  owner: string;
  slug: string;
  version: string;
}) {
  // the pipeline draws the DXF flat, lines on paper: the 1024 px picture keeps thin lines readable at page width
  const [src, setSrc] = useState(previewUrlFor(file, owner, slug, version, 1024, 'png'));
  return (
    <div class="viewer-stage viewer-drawing-stage" data-view="drawing">
      <img
        class="viewer-drawing"
        src={src}
        alt={t('modelViewer.drawing', { path: file.path })}
        onError={() => setSrc(previewUrlFor(file, owner, slug, version))}
      />
    </div>
  );
}

/** What makes a slab look different: a new key draws the view again (a board drawn since, a new placement). */
const slabKey = (slab: SlabSpec) =>
  `${slab.id}:${slab.width}x${slab.height}x${slab.thickness}:${slab.placement?.position.join(',') ?? ''}:${slab.placement?.rotation.join(',') ?? ''}:${slab.pictures ? 'p' : ''}`;

export function ModelViewer({
  owner,
  slug,
  version,
  files,
  opened,
  boards,
  openedBoard = null,
  manifest,
  onShowAssembly,
}: Props) {
  const cadFiles = files.filter(isCadFile);
  const choice = chooseView(files, opened, owner, slug, version, { boards, manifest, openedBoard });
  const source = choice.kind === 'model' ? choice.source : null;
  const slabs = choice.kind === 'model' || choice.kind === 'board' ? choice.slabs : [];
  const sourceKey =
    source || slabs.length ? `${source?.url ?? ''}|${source?.fallback?.url ?? ''}|${slabs.map(slabKey).join(';')}` : '';
  const bytes = choice.kind === 'model' ? (choice.file?.size ?? cadFiles.reduce((sum, file) => sum + file.size, 0)) : 0;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewerRef = useRef<Viewer | null>(null);
  const [state, setState] = useState<ViewerState>('idle');
  const [drawn, setDrawn] = useState<ViewerSourceKind | null>(null);
  const [drawnFrom, setDrawnFrom] = useState<string | null>(null);
  const [meshes, setMeshes] = useState(0);
  const [box, setBox] = useState('');
  const [pictures, setPictures] = useState<number | null>(null);
  const [parts, setParts] = useState<ViewerPart[]>([]);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [failures, setFailures] = useState<ViewerFailure[]>([]);
  const [allowedKey, setAllowedKey] = useState<string | null>(null);
  const requested = bytes <= autoLoadLimitBytes || allowedKey === sourceKey;
  const still = stillPictureOf(choice, owner, slug, version);
  const [stillFailed, setStillFailed] = useState(false);
  const stillState = choice.kind === 'model' ? choice.file?.pipeline?.state : undefined;

  useEffect(() => setStillFailed(false), [still?.src, stillState]);

  useEffect(() => {
    setState('idle');
    setParts([]);
    setHidden(new Set());
    setFailures([]);
    setPictures(null);
    if (!requested || !sourceKey || !canvasRef.current) return;
    if (!webglAvailable()) {
      setState('no-webgl');
      return;
    }
    let cancelled = false;
    setState('loading');
    import('../viewer/scene')
      .then(({ createViewer }) =>
        createViewer(canvasRef.current!, source, { slabs, meshUnitMm: meshUnitMm(manifest), headers: authHeaders() }),
      )
      .then((viewer) => {
        if (cancelled) return viewer.dispose();
        viewerRef.current = viewer;
        setParts(viewer.parts);
        setFailures(viewer.failures);
        setDrawn(viewer.drawn);
        setDrawnFrom(viewer.drawnFrom);
        setMeshes(viewer.meshes);
        setBox(viewer.box ? [...viewer.box.min, ...viewer.box.max].join(',') : '');
        void viewer.pictures.then((count) => {
          if (!cancelled) setPictures(count);
        });
        setState(viewer.parts.length > 0 ? 'ready' : 'failed');
      })
      .catch((error: Error) => {
        if (!cancelled) {
          setFailures([{ name: t('modelViewer.view3d'), message: error.message }]);
          setState('failed');
        }
      });
    return () => {
      cancelled = true;
      viewerRef.current?.dispose();
      viewerRef.current = null;
    };
  }, [sourceKey, requested]);

  if (cadFiles.length === 0 && choice.kind !== 'drawing' && choice.kind !== 'board' && !openedBoard) return null;

  // the whole version's model is made after every file: until then the largest file stands in, and says so
  const standIn =
    state === 'ready' && choice.kind === 'model' && source?.fallback && drawnFrom === source.fallback.name
      ? drawnFrom
      : null;
  const heading = (
    <div class="viewer-head">
      <h2 id="viewer-heading">
        {choice.kind === 'none'
          ? t('modelViewer.view3d')
          : standIn && choice.kind === 'model' && !choice.file
            ? t('modelViewer.standIn', { name: standIn })
            : choice.label}
      </h2>
      {(opened || openedBoard) && (
        <button type="button" class="button button-quiet button-small" onClick={onShowAssembly}>
          {t('modelViewer.showWhole')}
        </button>
      )}
    </div>
  );

  if (choice.kind === 'drawing') {
    return (
      <section class="section viewer" aria-labelledby="viewer-heading" data-model={choice.file.path}>
        {heading}
        <DrawingView key={choice.file.path} file={choice.file} owner={owner} slug={slug} version={version} />
      </section>
    );
  }
  if (choice.kind === 'none') {
    const unreadable = cadFiles.filter((file) => file.pipeline?.state === 'failed');
    const board = openedBoard ? (boards ?? []).find((b) => b.id === openedBoard) : undefined;
    return (
      <section class="section viewer" aria-labelledby="viewer-heading">
        {heading}
        <div class="viewer-stage viewer-unavailable">
          <p class="viewer-status" role="status">
            {openedBoard
              ? !board
                ? t('modelViewer.noBoard', { board: openedBoard })
                : board.pipeline.state === 'failed'
                  ? t('modelViewer.boardFailed', { name: board.name, reason: board.pipeline.error ?? '' })
                  : t('modelViewer.appearsOnceProcessed')
              : unreadable.length === cadFiles.length && !opened
                ? t('modelViewer.unreadable', { count: cadFiles.length, path: cadFiles[0].path })
                : t('modelViewer.appearsOnceProcessed')}
          </p>
        </div>
      </section>
    );
  }

  const showStill = state !== 'ready' && still && !stillFailed;
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
    <section
      class="section viewer"
      aria-labelledby="viewer-heading"
      data-model={choice.kind === 'board' ? `board:${choice.board.id}` : (choice.file?.path ?? 'version')}
    >
      {heading}
      <div class={`viewer-stage viewer-${state}`}>
        <canvas
          ref={canvasRef}
          class="viewer-canvas"
          data-state={state}
          data-drawn={drawn ?? ''}
          data-meshes={state === 'ready' ? meshes : 0}
          data-hidden={hidden.size}
          data-box={state === 'ready' ? box : ''}
          data-pictures={state === 'ready' && pictures !== null ? pictures : ''}
          tabIndex={0}
          aria-label={t('modelViewer.canvasLabel')}
          role="img"
        />
        {showStill && (
          <img class="viewer-preview" src={still.src} alt={still.alt} onError={() => setStillFailed(true)} />
        )}
        {state !== 'ready' && (
          <p class="viewer-status" role="status">
            {state === 'loading' && t('modelViewer.loading')}
            {state === 'no-webgl' && t('modelViewer.noWebgl')}
            {state === 'failed' && t('modelViewer.failed')}
            {state === 'idle' && !requested && (
              <button type="button" class="button" onClick={() => setAllowedKey(sourceKey)}>
                {t('modelViewer.load', { size: formatNumber(Math.round(bytes / 1e6), 0) })}
              </button>
            )}
          </p>
        )}
      </div>
      {state === 'ready' && (
        <div class="viewer-controls">
          <button type="button" class="button button-quiet button-small" onClick={() => viewerRef.current?.fit()}>
            {t('modelViewer.fit')}
          </button>
          {parts.length > 1 && (
            <fieldset class="viewer-parts">
              <legend>{t('modelViewer.parts')}</legend>
              {parts.map((part) => (
                <label key={part.id} class="check">
                  <input
                    type="checkbox"
                    checked={!hidden.has(part.id)}
                    onChange={(event) => toggle(part.id, event.currentTarget.checked)}
                  />
                  <span class="swatch" style={{ background: part.colour }} aria-hidden="true" />
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
