import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The end-user app, served by the runtime server at `/` (`crm start`); `vite` alone proxies /api to it.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
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
