import type { Device, ModelDtype } from '../engine/types';

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

/**
 * `configuredOrigin` is the build-time model origin (VITE_MODEL_ORIGIN), relative to the page when not absolute.
 * Pure so it can be unit-tested: `href` is the page URL.
 */
export function readSettings(href: string, configuredOrigin: string): AppSettings {
  const url = new URL(href);
  const params = url.searchParams;
  const origin = new URL(params.get('models') ?? configuredOrigin, url).href;
  const device = params.get('device') as Device | null;
  const dtype = params.get('dtype') as ModelDtype | null;
  return {
    modelBaseUrl: origin.endsWith('/') ? origin : `${origin}/`,
    modelId: params.get('model') ?? undefined,
    device: device && DEVICES.includes(device) ? device : undefined,
    dtype: dtype && DTYPES.includes(dtype) ? dtype : undefined,
    temperature: numberParam(params, 'temperature', 0.1, 0, 2),
    topP: numberParam(params, 'top_p', 0.8, 0, 1),
    maxNewTokens: numberParam(params, 'max_new_tokens', 1024, 1, 4096),
    replayCharsPerSecond: numberParam(params, 'replay_cps', 600, 0, 1e6),
    watchdogSeconds: numberParam(params, 'watchdog', 60, 0, 3600),
    testFaults: params.has('test_faults'),
  };
}
