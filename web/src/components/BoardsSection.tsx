// The version's circuit boards on the design page: each one's top as a thumbnail, its facts, its page (the board
// beside its parts) and the 3D viewer showing it.
import { query } from '../api';
import type { VersionBoard } from '../api-types';
import { t } from '../i18n';
import { boardUrl, designUrl } from '../router';
import { BoardFacts } from './BoardFacts';
import { PendingPicture } from './PendingPicture';
import { PipelineBadge } from './PipelineBadge';

type Props = { owner: string; slug: string; version: string; boards: VersionBoard[] | undefined };

export function BoardsSection({ owner, slug, version, boards }: Props) {
  if (!boards || boards.length === 0) return null;
  return (
    <section class="section" aria-labelledby="boards-heading" id="boards">
      <h2 id="boards-heading">{t('boardsSection.heading')}</h2>
      <ul class="board-list">
        {boards.map((board) => (
          <li key={board.id} class="board-card" data-testid="board-card" data-state={board.pipeline.state}>
            <div class="board-thumb" dir="ltr">
              {board.pipeline.state === 'failed' ? (
                <div class="thumb thumb-placeholder" aria-hidden="true">
                  <span>PCB</span>
                </div>
              ) : (
                <PendingPicture
                  url={`${board.previews.top}${query({ size: 256, format: 'webp' })}`}
                  alt={t('boardPage.topAlt', { name: board.name })}
                />
              )}
            </div>
            <div class="board-card-main">
              <h3 dir="auto">
                <a href={boardUrl(owner, slug, version, board.id)}>{board.name}</a>
              </h3>
              {board.name !== board.id && <p class="muted mono small">{board.id}</p>}
              <BoardFacts facts={board.facts} />
              {board.pipeline.state === 'failed' && <p class="file-error">{board.pipeline.error}</p>}
              <p class="board-card-actions">
                <PipelineBadge state={board.pipeline.state} />
                <a class="button button-small" href={boardUrl(owner, slug, version, board.id)}>
                  {t('boardsSection.open')}
                </a>
                <a
                  class="button button-small button-quiet"
                  href={`${designUrl(owner, slug, version)}${query({ board: board.id })}`}
                >
                  {t('boardsSection.view3d')}
                </a>
              </p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
