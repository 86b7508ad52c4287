import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { crmPlugins } from '../scripts/web-plugins.ts';

// The designer (admins), served by the runtime server at `/designer`; `vite` alone proxies /api to it.
export default defineConfig({
  root: import.meta.dirname,
  base: '/designer/',
  // the configured plugins' browser entries (widgets, cells): see scripts/web-plugins.ts
  plugins: [react(), crmPlugins()],
  resolve: {
    dedupe: [
      'react',
      'react-dom',
      'antd',
      'react-router',
      'i18next',
      'react-i18next',
      '@tanstack/react-query',
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
