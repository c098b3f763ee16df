// Vite build of the web app: root web/, output web/dist served by the Fastify server at '/'.
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * locales/<tag>.json holds every message of a language (the web's, the build packet's, the API's problems, the BOM
 * kernel's warnings); the browser is sent its `web` and `bomWarnings` sections only, one chunk per language.
 */
function webCatalogues(): Plugin {
  return {
    name: 'andecha-web-catalogues',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]locales[\\/][^\\/]+\.json$/.test(id)) return null;
      const { web, bomWarnings } = JSON.parse(code) as { web?: unknown; bomWarnings?: unknown };
      return { code: JSON.stringify({ web: web ?? {}, bomWarnings: bomWarnings ?? {} }), map: null };
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [webCatalogues(), preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // no source maps in web/dist: 3.3 MB nobody's browser needs, and the server would publish them
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npx vite web` during development: the API runs on the Fastify server (npm start).
    proxy: { '/api': process.env.ANDECHA_API ?? 'http://127.0.0.1:3000' },
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
