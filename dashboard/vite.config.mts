/**
 * The dashboard's build: Preact with JSX compiled by Vite's own transformer (no Babel), served by the
 * gateway under /dashboard/ (gateway/dashboard.ts). `npm run dashboard:build`; `npm start` builds it
 * when dashboard/dist is missing or older than its sources (scripts/dashboard-build.ts). Builds offline.
 */
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  logLevel: 'warn',
});
