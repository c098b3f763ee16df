// Entry point: starts the interface's language, mounts the app shell and turns same-origin links into client-side
// navigations. A change of language mounts the app again in the new one (every message is read at render).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { App } from './App';
import { currentLocale, onLocaleChange, startI18n } from './i18n';
import { interceptLinkClicks } from './router';
import './styles.css';

function Root() {
  const [locale, setLocale] = useState(currentLocale);
  useEffect(() => onLocaleChange(setLocale), []);
  return <App key={locale} />;
}

interceptLinkClicks();
// a catalogue that cannot be fetched (offline, a deploy in between) must not leave a blank page: render anyway
void startI18n()
  .catch((error: unknown) => console.error('languages:', error))
  .finally(() => render(<Root />, document.getElementById('app')!));
