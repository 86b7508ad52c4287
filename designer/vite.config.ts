import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The designer (admins), served by the runtime server at `/designer`; `vite` alone proxies /api to it.
export default defineConfig({
  root: import.meta.dirname,
  base: '/designer/',
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
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
