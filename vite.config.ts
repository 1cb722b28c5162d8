import { defineConfig } from 'vitest/config';
import { loadEnv } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import { contentSecurityPolicyPlugin, serviceWorkerPlugin } from './scripts/lib/offline-plugins.ts';
import { xtermCspPlugin } from './scripts/lib/xterm-csp.ts';

// Cross-origin isolation gives onnxruntime-web's wasm backend its threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig(({ mode }) => {
  // Where the app fetches models (src/App.svelte reads the same variable); CSP and service worker follow it.
  const modelOrigin = loadEnv(mode, process.cwd(), 'VITE_').VITE_MODEL_ORIGIN || 'models/';
  return {
    base: './',
    plugins: [
      svelte(),
      xtermCspPlugin(resolve(import.meta.dirname, 'src/lib/ui/constructed-style.ts')),
      contentSecurityPolicyPlugin(modelOrigin),
      serviceWorkerPlugin(modelOrigin),
    ],
    // Pre-bundled dependencies skip plugins' transforms: xterm goes through xterm-csp in `vite dev` too.
    optimizeDeps: { exclude: ['@xterm/xterm'] },
    worker: { format: 'es' },
    server: { headers: isolation },
    preview: { headers: isolation },
    build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
    test: {
      reporters: ['default', './tests/summary-reporter.ts'],
      projects: [
        {
          extends: true,
          test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
        },
        {
          extends: true,
          test: {
            name: 'browser',
            include: ['tests/browser/**/*.test.ts'],
            environment: 'node',
            fileParallelism: false,
            testTimeout: 180_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
