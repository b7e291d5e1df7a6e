// Renderer bundle. `base: './'` because the same files are loaded from file:// by the Electron
// shell and from / by the headless server.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('../renderer/', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // The strict CSP forbids inline scripts and styles, so nothing may be inlined as data: URIs
    // except images (img-src allows data:).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
