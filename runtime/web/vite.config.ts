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
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        // Libraries every page needs, in chunks of their own: they stay cached across releases of the app.
        // antd is left to the per-page split (the list does not need the form's date pickers).
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              priority: 3,
            },
            {
              name: 'libs',
              test: /node_modules[\\/](@tanstack|i18next|react-i18next|dayjs)[\\/]/,
              priority: 2,
            },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
