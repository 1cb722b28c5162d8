/**
 * Vite plugins for the static, offline-capable build: the Content-Security-Policy meta tag, the headers every file
 * must be served with (`security-headers.json` for our servers, `_headers` for Netlify and Cloudflare Pages), and the
 * service worker generated after the build with the exact list of files it wrote.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build, type Plugin, type ResolvedConfig } from 'vite';
import { SECURITY_HEADERS_FILE, contentSecurityPolicy, netlifyHeadersFile, securityHeaders } from './csp.ts';
import { SERVICE_WORKER_FILE, listFiles, precacheList, precacheVersion } from './precache.ts';
import type { ServiceWorkerConfig } from '../../src/sw/routes.ts';

const SW_ENTRY = resolve(import.meta.dirname, '../../src/sw/service-worker.ts');

export function contentSecurityPolicyPlugin(modelOrigin: string): Plugin {
  const policy = contentSecurityPolicy({ modelOrigin, forHeader: false });
  return {
    name: 'agent-flan:csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' },
    ],
  };
}

export function serviceWorkerPlugin(modelOrigin: string): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'agent-flan:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler(error?: Error) {
        if (error || config.build.ssr) return;
        const started = performance.now();
        const outDir = resolve(config.root, config.build.outDir);
        const files = await listFiles(outDir);
        const precache = precacheList(files, modelOrigin);
        const headers = securityHeaders(files, { modelOrigin });
        await writeFile(resolve(outDir, SECURITY_HEADERS_FILE), JSON.stringify(headers, null, 2) + '\n');
        await writeFile(resolve(outDir, '_headers'), netlifyHeadersFile(headers));
        const swConfig: ServiceWorkerConfig = {
          version: await precacheVersion(outDir, precache),
          precache,
          modelBase: modelOrigin,
          headers,
        };
        const output = await build({
          configFile: false,
          logLevel: 'warn',
          publicDir: false,
          define: { __SW_CONFIG__: JSON.stringify(swConfig) },
          build: {
            write: false,
            minify: config.build.minify !== false,
            target: 'es2022',
            lib: { entry: SW_ENTRY, formats: ['iife'], name: 'agentFlanServiceWorker', fileName: () => SERVICE_WORKER_FILE },
          },
        });
        const chunk = (Array.isArray(output) ? output : [output]).flatMap((o) => ('output' in o ? o.output : []))[0];
        if (!chunk || chunk.type !== 'chunk') throw new Error('service worker build produced no script');
        await writeFile(resolve(outDir, SERVICE_WORKER_FILE), chunk.code);
        const ms = Math.round(performance.now() - started);
        config.logger.info(`sw.js: ${precache.length} files precached (cache version ${swConfig.version}), generated in ${ms} ms`);
      },
    },
  };
}
