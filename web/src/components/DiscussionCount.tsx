// The count of a design's open questions beside its title: a link down to its discussions.
import { t } from '../i18n';

export function DiscussionCount({ count }: { count: number | undefined }) {
  if (!count) return null;
  return (
    <a class="chip chip-questions" href="#discussions" data-testid="open-questions">
      {t('discussions.openQuestions', { count })}
    </a>
  );
}
