/**
 * The task gallery's index: every environment's label, protocol and task titles, without any
 * environment's code, data or wasm. `catalog.json` is generated from the env modules by
 * `npm run catalog` (a unit test fails when it drifts from them).
 */
import type { ToolSpec } from '../agent/protocols/types';
import type { EnvId } from './types';
import catalogJson from './catalog.json';

export interface CatalogTask {
  id: string;
  title: string;
  /** A caveat shown with the task (e.g. an unreliable reference answer); absent for most tasks. */
  note?: string;
}

export interface CatalogEnv {
  id: EnvId;
  label: string;
  protocolId: string;
  tasks: CatalogTask[];
}

export interface TaskCatalog {
  envs: CatalogEnv[];
  /** Every tool the Tools environment offers (what free mode lets a visitor pick from). */
  tools: ToolSpec[];
}

/** Gallery order. */
export const ENV_ORDER: EnvId[] = ['os', 'db', 'kg', 'household', 'shop', 'wiki', 'tools'];

export const taskCatalog = catalogJson as TaskCatalog;
