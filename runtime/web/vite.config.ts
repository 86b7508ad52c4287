import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { crmPlugins } from '../../scripts/web-plugins.ts';

// The end-user app, served by the runtime server at `/` (`crm start`); `vite` alone proxies /api to it.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
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
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
