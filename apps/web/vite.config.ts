import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// `npm run dev -w @cxr-audit/web` proxies the API to a running `cxr-audit serve`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': `http://127.0.0.1:${process.env['PORT'] ?? 8417}` } },
})
