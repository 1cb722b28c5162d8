import type { Device, ModelDtype } from '../engine/types';
import { SAMPLING_DEFAULTS } from '../engine/sampling-defaults';

/** Settings a deployment or a visitor can override (URL parameters win over build-time defaults). */
export interface AppSettings {
  /** Absolute base URL of the model origin, holding `index.json` and `<model-id>/...`. */
  modelBaseUrl: string;
  modelId?: string;
  device?: Device;
  dtype?: ModelDtype;
  temperature: number;
  topP: number;
  maxNewTokens: number;
  /** Streaming pace of expert replays, characters per second (`replay_cps`; 0 means all at once). */
  replayCharsPerSecond: number;
  /**
   * Seconds the model worker may go without a sign of life while busy before the watchdog stops it
   * (`watchdog`; 0 turns the watchdog off). See src/lib/engine/watchdog.ts for why 60.
   */
  watchdogSeconds: number;
  /** `test_faults`: lets tests make the model worker hang on purpose (LocalEngine.injectFault). */
  testFaults: boolean;
}

const DEVICES: Device[] = ['webgpu', 'wasm'];
const DTYPES: ModelDtype[] = ['q4f16', 'q4', 'fp32'];

function numberParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  const value = raw === null ? NaN : Number(raw);
  return Number.isFinite(value) ? Math.min(Math.max(value, min), max) : fallback;
}

/** The settings a visitor changes in the Settings panel, kept in localStorage under this key. */
export const SETTINGS_KEY = 'agent-flan-web:settings';
export type SavedSettings = Partial<Pick<AppSettings, 'device' | 'dtype' | 'temperature' | 'topP' | 'maxNewTokens'>>;
const LIMITS = { temperature: [0, 2], topP: [0, 1], maxNewTokens: [1, 4096] } as const;

function savedSettings(saved: string | null): SavedSettings {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = saved ? JSON.parse(saved) : {};
    if (parsed && typeof parsed === 'object') raw = parsed as Record<string, unknown>;
  } catch {
    // A damaged entry is ignored: the defaults apply.
  }
  const out: SavedSettings = {};
  if (DEVICES.includes(raw.device as Device)) out.device = raw.device as Device;
  if (DTYPES.includes(raw.dtype as ModelDtype)) out.dtype = raw.dtype as ModelDtype;
  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const value = raw[key];
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = Math.min(Math.max(value, LIMITS[key][0]), LIMITS[key][1]);
  }
  return out;
}

/**
 * `configuredOrigin` is the build-time model origin (VITE_MODEL_ORIGIN), relative to the page when not absolute;
 * `saved` the Settings panel's JSON. URL parameters win over saved settings, saved settings over the defaults.
 * Pure so it can be unit-tested: `href` is the page URL.
 */
export function readSettings(href: string, configuredOrigin: string, saved: string | null = null): AppSettings {
  const url = new URL(href);
  const params = url.searchParams;
  const stored = savedSettings(saved);
  const origin = new URL(params.get('models') ?? configuredOrigin, url).href;
  const device = params.get('device') as Device | null;
  const dtype = params.get('dtype') as ModelDtype | null;
  return {
    modelBaseUrl: origin.endsWith('/') ? origin : `${origin}/`,
    modelId: params.get('model') ?? undefined,
    device: device && DEVICES.includes(device) ? device : stored.device,
    dtype: dtype && DTYPES.includes(dtype) ? dtype : stored.dtype,
    temperature: numberParam(params, 'temperature', stored.temperature ?? SAMPLING_DEFAULTS.temperature, ...LIMITS.temperature),
    topP: numberParam(params, 'top_p', stored.topP ?? SAMPLING_DEFAULTS.topP, ...LIMITS.topP),
    maxNewTokens: numberParam(params, 'max_new_tokens', stored.maxNewTokens ?? SAMPLING_DEFAULTS.maxNewTokens, ...LIMITS.maxNewTokens),
    replayCharsPerSecond: numberParam(params, 'replay_cps', 600, 0, 1e6),
    watchdogSeconds: numberParam(params, 'watchdog', 60, 0, 3600),
    testFaults: params.has('test_faults'),
  };
}

/** What the Settings panel edits: the saved settings over the defaults, without the page's URL parameters. */
export function panelSettings(saved: string | null): SavedSettings & Pick<AppSettings, 'temperature' | 'topP' | 'maxNewTokens'> {
  return { temperature: SAMPLING_DEFAULTS.temperature, topP: SAMPLING_DEFAULTS.topP, maxNewTokens: SAMPLING_DEFAULTS.maxNewTokens, ...savedSettings(saved) };
}

/** Which of the Settings panel's fields the page's URL sets (they win over what the panel saves). */
export function urlOverrides(href: string): (keyof SavedSettings)[] {
  const params = new URL(href).searchParams;
  const names = { device: 'device', dtype: 'dtype', temperature: 'temperature', topP: 'top_p', maxNewTokens: 'max_new_tokens' } as const;
  return (Object.keys(names) as (keyof SavedSettings)[]).filter((key) => params.has(names[key]));
}
