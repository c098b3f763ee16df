// The web app in other languages, in Chromium: four journeys (languages/*.ts), each on a server and a browser of its
// own as before, gathered in one test file so that the run starts one file for them (a fork and the app's module
// graph each time) where it started four.
import './languages/menu.js';
import './languages/pages.js';
import './languages/bom.js';
import './languages/translated-instructions.js';
