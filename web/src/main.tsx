// Entry point: mounts the app shell and turns same-origin links into client-side navigations.
import { render } from 'preact';
import { App } from './App';
import { interceptLinkClicks } from './router';
import './styles.css';

interceptLinkClicks();
render(<App />, document.getElementById('app')!);
