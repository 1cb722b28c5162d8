/** Booth mode's entry, loaded only for `?booth` so the normal app shell carries none of it. */
import type { EngineSession } from '../engine-session.svelte';
import { BoothSession } from './booth-session.svelte';
import { STORAGE_KEY, readBoothSettings } from './booth-settings';
import BoothApp from './BoothApp.svelte';

export function startBooth(session: EngineSession): { booth: BoothSession; BoothApp: typeof BoothApp } {
  const booth = new BoothSession(session, readBoothSettings(location.href, localStorage.getItem(STORAGE_KEY)));
  void booth.start();
  return { booth, BoothApp };
}
