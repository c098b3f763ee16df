// Vite build of the web app: root web/, output web/dist served by the Fastify server at '/'.
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [preact()],
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
