// Sets document.title for the page being shown.
import { useEffect } from 'preact/hooks';
import { t } from './i18n';

export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? t('pageTitle.titled', { title }) : t('pageTitle.untitled');
  }, [title]);
}
