import type { EnvId } from '../../tasks/types';

/** How a booth behaves; URL parameters (`idle`, `warn`, `rotate` in seconds, `max_turns`, `featured`, `replays`) win over saved settings. */
export interface BoothSettings {
  idleSeconds: number;
  warnSeconds: number;
  rotateSeconds: number;
  /** Model turns per episode: keeps a visit short at a booth. */
  maxTurns: number;
  /** Environments whose first task (the first without a caveat note) is featured, in order. */
  featured: EnvId[];
  /**
   * With only the random-weight test model loaded, visits replay the expert's solution (true) or run the test
   * model anyway (false: `replays=0`, for checking the machinery).
   */
  expertReplays: boolean;
}

export const BOOTH_DEFAULTS: BoothSettings = {
  idleSeconds: 90,
  warnSeconds: 15,
  rotateSeconds: 6,
  maxTurns: 8,
  featured: ['os', 'db', 'household', 'shop', 'kg', 'wiki'],
  expertReplays: true,
};

const ENVS: EnvId[] = ['os', 'db', 'kg', 'household', 'shop', 'wiki', 'tools'];
const LIMITS = {
  idleSeconds: [5, 3600],
  warnSeconds: [3, 120],
  rotateSeconds: [2, 120],
  maxTurns: [1, 50],
} as const satisfies Partial<Record<keyof BoothSettings, readonly [number, number]>>;

export const STORAGE_KEY = 'agent-flan-web:booth';

function clampNumber(value: unknown, [min, max]: readonly [number, number]): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? Math.min(Math.max(Math.round(n), min), max) : undefined;
}

function featuredList(value: unknown): EnvId[] | undefined {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  const envs = items.map((s) => String(s).trim()).filter((s): s is EnvId => (ENVS as string[]).includes(s));
  return envs.length ? envs : undefined;
}

function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  return undefined;
}

/** Defaults, then the saved JSON (from the settings panel), then the URL. Bad values are ignored, not fatal. */
export function readBoothSettings(href: string, saved: string | null): BoothSettings {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = saved ? JSON.parse(saved) : {};
    if (parsed && typeof parsed === 'object') stored = parsed as Record<string, unknown>;
  } catch {
    stored = {};
  }
  const params = new URL(href).searchParams;
  const url: Record<string, unknown> = {
    idleSeconds: params.get('idle') ?? undefined,
    warnSeconds: params.get('warn') ?? undefined,
    rotateSeconds: params.get('rotate') ?? undefined,
    maxTurns: params.get('max_turns') ?? undefined,
    featured: params.get('featured') ?? undefined,
    expertReplays: params.get('replays') ?? undefined,
  };
  const settings = { ...BOOTH_DEFAULTS };
  for (const source of [stored, url]) {
    for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
      settings[key] = clampNumber(source[key], LIMITS[key]) ?? settings[key];
    }
    settings.featured = featuredList(source.featured) ?? settings.featured;
    settings.expertReplays = flag(source.expertReplays) ?? settings.expertReplays;
  }
  return settings;
}
