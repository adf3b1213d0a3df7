// Builds the renderer (src/) into dist/ with relative paths so it loads from app:// and the web host.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// During `vite dev` the API lives in the web host; proxy to it when its port is given.
const hostPort = process.env.SHOPFLEET_HOST_PORT;

export default defineConfig({
  root: '.',
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Electron's CSP forbids inline scripts, so never inline the module preload polyfill.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  server: hostPort
    ? {
        proxy: {
          '/api': { target: `http://127.0.0.1:${hostPort}`, ws: true, changeOrigin: true },
        },
      }
    : {},
});
