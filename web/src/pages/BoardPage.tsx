// Board page `/{owner}/{slug}/{version}/boards/{id}`: the board from above or below beside its parts list; pointing at
// or choosing a line lights its parts on the board (from the pick-and-place file), clicking a part chooses its line.
// `?part=C1` (a discussion's designator link) opens with that part's line chosen.
import { useEffect, useState } from 'preact/hooks';
import { query, versionPath } from '../api';
import type { Bom, BoardPlacements, VersionDocument } from '../api-types';
import { BoardFacts } from '../components/BoardFacts';
import { BoardParts, partLines } from '../components/BoardParts';
import { BoardPicture, type BoardSide } from '../components/BoardPicture';
import { ErrorNotice, Loading, NotFound } from '../components/StateViews';
import { useDesignEvents } from '../design-events';
import { t } from '../i18n';
import { usePageTitle } from '../page-title';
import { designUrl, useLocation } from '../router';
import { dataOf, useApi } from '../use-api';

type Props = { owner: string; slug: string; version: string; board: string };
/** 202 while the board is being drawn: the job drawing it */
type Pending = { state: 'queued' | 'running'; job?: string | null };

const PICTURE_SIZE = 1024;
const SIDES: readonly BoardSide[] = ['top', 'bottom'];

export function BoardPage({ owner, slug, version, board: boardId }: Props) {
  const doc = useApi<VersionDocument>(versionPath(owner, slug, version));
  const current = dataOf(doc);
  const board = current?.boards?.find((b) => b.id === boardId);
  const drawing = board?.pipeline.state === 'queued' || board?.pipeline.state === 'running';
  useDesignEvents(`${owner}/${slug}`, Boolean(drawing), doc.reload);
  const boardPath = `/boards/${encodeURIComponent(boardId)}`;
  const placementsReply = useApi<BoardPlacements | Pending>(
    board?.pipeline.state === 'done' ? versionPath(owner, slug, version, `${boardPath}/placements`) : null,
  );
  const bom = useApi<Bom>(versionPath(owner, slug, version, `/bom${query({ format: 'json' })}`));
  const [side, setSide] = useState<BoardSide>('top');
  const [selected, setSelected] = useState<number | null>(null);
  const asked = useLocation().search.get('part');
  const [hovered, setHovered] = useState<number | null>(null);
  usePageTitle(board ? `${board.name} (${owner}/${slug} ${version})` : `${owner}/${slug} ${version}`);

  const reply = dataOf(placementsReply);
  const pending = reply && 'state' in reply;
  // asked again while the server still draws the board (it answered 202)
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(placementsReply.reload, 1000);
    return () => clearTimeout(timer);
  }, [pending, placementsReply.reload]);
  const placed = reply && !('state' in reply) ? reply : null;
  const lines = bom.status === 'ok' ? partLines(bom.data.lines) : [];
  // the part a link asked for, chosen once the BOM is here (a later choice is the reader's)
  const askedLine = asked ? lines.findIndex((line) => line.designators?.includes(asked)) : -1;
  useEffect(() => {
    if (askedLine >= 0) setSelected(askedLine);
  }, [askedLine]);

  if (doc.status === 'missing') return <NotFound what={`${owner}/${slug}@${version}`} />;
  if (doc.status === 'error') return <ErrorNotice error={doc.error} onRetry={doc.reload} />;
  if (!current) return <Loading label={t('boardPage.loading')} />;
  if (!board) return <NotFound what={t('boardPage.notFound', { board: boardId, version })} />;

  const active = hovered ?? selected;
  const activeLine = active !== null ? lines[active] : undefined;
  const lit = new Set(activeLine?.designators ?? []);
  const sideOf = new Map((placed?.placements ?? []).map((p) => [p.designator, p.side]));
  const otherSide: BoardSide = side === 'top' ? 'bottom' : 'top';
  const onOther = (activeLine?.designators ?? []).filter((d) => sideOf.get(d) === otherSide);
  const unplacedOfLine = placed?.source ? (activeLine?.designators ?? []).filter((d) => !sideOf.has(d)) : [];

  const select = (index: number) => {
    setSelected(index);
    // a line whose parts are all on the other side turns the board over
    const sides = (lines[index]?.designators ?? []).map((d) => sideOf.get(d)).filter(Boolean);
    if (sides.length > 0 && !sides.includes(side)) setSide(sides[0]!);
  };
  const pick = (designator: string) => {
    const index = lines.findIndex((line) => line.designators?.includes(designator));
    if (index < 0) return;
    setSelected(index);
    setHovered(null);
    const row = document.getElementById(`board-part-${index}`);
    row?.scrollIntoView({ block: 'nearest' });
    row?.querySelector<HTMLButtonElement>('button')?.focus({ preventScroll: true });
  };

  return (
    <article class="page board-page">
      <header class="design-header">
        <p class="breadcrumb">
          <a href={designUrl(owner, slug)}>
            {owner}/{slug}
          </a>{' '}
          / <a href={designUrl(owner, slug, current.version)}>{current.version}</a>
        </p>
        <h1 dir="auto">{board.name}</h1>
        {board.name !== boardId && <p class="muted mono">{boardId}</p>}
        <BoardFacts facts={board.facts} />
        <p>
          <a
            class="button button-quiet button-small"
            href={`${designUrl(owner, slug, current.version)}${query({ board: board.id })}`}
          >
            {t('boardsSection.view3d')}
          </a>
        </p>
      </header>

      {drawing && (
        <p class="notice" role="status" data-testid="board-drawing">
          {t('boardPage.drawing')}
        </p>
      )}
      {board.pipeline.state === 'failed' && (
        <div class="notice notice-error" role="alert">
          <p class="notice-title">{t('boardPage.failed')}</p>
          <p>{board.pipeline.error}</p>
        </div>
      )}

      {board.pipeline.state === 'done' && (
        <div class="board-layout">
          <section class="board-view" aria-labelledby="board-view-heading">
            <div class="section-head">
              <h2 id="board-view-heading">{t('boardPage.boardHeading')}</h2>
              <div class="segmented" role="group" aria-label={t('boardPage.sideLabel')}>
                {SIDES.map((s) => (
                  <button
                    key={s}
                    type="button"
                    class="button button-small button-quiet"
                    aria-pressed={side === s}
                    onClick={() => setSide(s)}
                  >
                    {t(s === 'top' ? 'boardPage.top' : 'boardPage.bottom')}
                  </button>
                ))}
              </div>
            </div>
            <BoardPicture
              url={`${board.previews[side]}${query({ size: PICTURE_SIZE, format: 'webp' })}`}
              side={side}
              name={board.name}
              size={board.facts ? { width: board.facts.width, height: board.facts.height } : null}
              placed={placed}
              lit={lit}
              onPick={pick}
            />
            <div class="board-notes" aria-live="polite">
              {placementsReply.status === 'error' && <ErrorNotice error={placementsReply.error} />}
              {placed && !placed.source && <p data-testid="board-no-centroid">{t('boardPage.noCentroid')}</p>}
              {placed?.source && (
                <p class="muted small">{t('boardPage.source', { files: placed.sources.join(', ') })}</p>
              )}
              {placed?.originMismatch && (
                <p class="notice notice-warning" data-testid="board-origin-mismatch">
                  {t('boardPage.originMismatch')}
                </p>
              )}
              {onOther.length > 0 && (
                <p data-testid="board-other-side">
                  {t(otherSide === 'bottom' ? 'boardPage.onBottom' : 'boardPage.onTop', {
                    designators: onOther.join(', '),
                  })}
                </p>
              )}
              {unplacedOfLine.length > 0 && (
                <p class="muted">{t('boardPage.lineUnplaced', { designators: unplacedOfLine.join(', ') })}</p>
              )}
            </div>
          </section>
          <section class="board-bom" aria-labelledby="board-parts-heading">
            <h2 id="board-parts-heading">{t('boardPage.partsHeading')}</h2>
            {bom.status === 'loading' && <Loading />}
            {bom.status === 'error' && <ErrorNotice error={bom.error} onRetry={bom.reload} />}
            {(bom.status === 'missing' || (bom.status === 'ok' && lines.length === 0)) && (
              <p>{t('boardPage.noParts')}</p>
            )}
            {lines.length > 0 && (
              <BoardParts lines={lines} selected={selected} onSelect={select} onHover={setHovered} />
            )}
          </section>
        </div>
      )}
    </article>
  );
}
