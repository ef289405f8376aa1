import { defineConfig } from 'vite';

// Served by the service at /console/ under a strict CSP (see README.md): no inline script or style,
// so no module-preload polyfill (an inline script) and no assets inlined as data: URLs.
export default defineConfig({
  base: '/console/',
  build: {
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
