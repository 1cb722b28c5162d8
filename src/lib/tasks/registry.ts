/**
 * Lazy loaders, one per environment: a module (and its wasm) loads only when a task of that
 * environment is opened.
 */
import type { EnvId, EnvModule } from './types';

type Loader = () => Promise<EnvModule>;

export const envLoaders: Record<EnvId, Loader> = {
  os: () => import('./os/index').then((m) => m.envModule as unknown as EnvModule),
  db: () => import('./db/index').then((m) => m.envModule as unknown as EnvModule),
  kg: () => import('./kg/index').then((m) => m.envModule as unknown as EnvModule),
  household: () => import('./household/index').then((m) => m.envModule as unknown as EnvModule),
  shop: () => import('./shop/index').then((m) => m.envModule as unknown as EnvModule),
  wiki: () => import('./wiki/index').then((m) => m.envModule as unknown as EnvModule),
  tools: () => import('./tools/index').then((m) => m.envModule as unknown as EnvModule),
};

export async function loadEnvModule(id: EnvId): Promise<EnvModule> {
  const load = envLoaders[id];
  if (!load) {
    throw new Error(`No environment "${id}" is registered; known: ${Object.keys(envLoaders).join(', ')}.`);
  }
  return load();
}
