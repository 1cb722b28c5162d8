import { OpenAIEngine } from './openai';
import type { RemoteKind, RemoteOptions } from './remote-engine';
import { TgiEngine } from './tgi';

export type { RemoteKind, RemoteOptions } from './remote-engine';
export const REMOTE_KINDS: RemoteKind[] = ['tgi', 'openai'];

export function createRemoteEngine(kind: RemoteKind, options: RemoteOptions): TgiEngine | OpenAIEngine {
  return kind === 'tgi' ? new TgiEngine(options) : new OpenAIEngine(options);
}
