// Runs in Chromium: the page imports the package and calls nothing. The browser source asks for a
// preload, so the wasm download starts once the page's code has run, before any first call.
import '../../js/public.js';
