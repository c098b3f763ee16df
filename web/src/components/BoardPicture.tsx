// A board seen from one side with its parts' positions drawn over it: the placements mapped from the files' mm
// (Y up) onto the picture the server draws (the board centred in a square; the bottom seen from below, mirrored).
import type { BoardPlacements } from '../api-types';
import { t } from '../i18n';
import { usePendingPicture } from './PendingPicture';

type Frame = BoardPlacements['frame'];
type Placement = BoardPlacements['placements'][number];
export type BoardSide = 'top' | 'bottom';

/**
 * Where a point of the board is on the stage, as fractions of its width and height from its top left. The stage has
 * the board's proportions and shows the middle of the square picture (where the server centres the board), so the
 * frame spans it exactly.
 */
export function pictureSpot(frame: Frame, side: BoardSide, x: number, y: number): { left: number; top: number } {
  const across = side === 'top' ? x - frame.x : frame.x + frame.width - x;
  return { left: across / frame.width, top: (frame.y + frame.height - y) / frame.height };
}

type Props = {
  url: string;
  side: BoardSide;
  name: string;
  /** the board's outline size (mm): the stage takes its proportions */
  size: { width: number; height: number } | null;
  /** null while the placements are not known (or the board has no centroid file) */
  placed: { frame: Frame; placements: Placement[] } | null;
  lit: ReadonlySet<string>;
  onPick: (designator: string) => void;
};

export function BoardPicture({ url, side, name, size, placed, lit, onPick }: Props) {
  const picture = usePendingPicture(url);
  const shown = placed ? placed.placements.filter((p) => p.side === side) : [];
  // the lit markers last, so they are drawn over their neighbours
  const ordered = [...shown.filter((p) => !lit.has(p.designator)), ...shown.filter((p) => lit.has(p.designator))];
  return (
    // a board is the same from left to right in every language: markers are placed in its own coordinates
    <div
      class="board-stage"
      dir="ltr"
      data-side={side}
      style={size ? { aspectRatio: `${size.width} / ${size.height}` } : undefined}
    >
      {picture.state === 'ready' && (
        <img
          class="board-image"
          src={picture.src}
          alt={t(side === 'top' ? 'boardPage.topAlt' : 'boardPage.bottomAlt', { name })}
          data-state="ready"
        />
      )}
      {picture.state === 'failed' && (
        <p class="picture-pending picture-failed" data-state="failed">
          {t('pendingPicture.notDrawn', { message: picture.message })}
        </p>
      )}
      {picture.state === 'drawing' && (
        <p class="picture-pending" data-state="drawing" role="status">
          {t('pendingPicture.drawing')}
        </p>
      )}
      {picture.state === 'ready' &&
        placed &&
        ordered.map((p) => {
          const spot = pictureSpot(placed.frame, side, p.x, p.y);
          const on = lit.has(p.designator);
          return (
            <button
              key={p.designator}
              type="button"
              // the parts list is the keyboard's way in: a marker is one click away for a pointer, not a tab stop each
              tabIndex={-1}
              class={`board-marker${on ? ' is-lit' : ''}`}
              style={{ left: `${spot.left * 100}%`, top: `${spot.top * 100}%` }}
              data-designator={p.designator}
              aria-label={t('boardPage.markerLabel', { designator: p.designator })}
              title={p.designator}
              onClick={() => onPick(p.designator)}
            />
          );
        })}
    </div>
  );
}
