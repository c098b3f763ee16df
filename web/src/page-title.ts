// Sets document.title for the page being shown.
import { useEffect } from 'preact/hooks';

export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Andecha` : 'Andecha';
  }, [title]);
}
