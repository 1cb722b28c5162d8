import { OpenAIEngine } from './openai';
import type { RemoteKind } from './configured-origin';
import type { RemoteOptions } from './remote-engine';
import { TgiEngine } from './tgi';

export type { RemoteOptions } from './remote-engine';
export { REMOTE_KINDS, type RemoteKind } from './configured-origin';

export function createRemoteEngine(kind: RemoteKind, options: RemoteOptions): TgiEngine | OpenAIEngine {
  return kind === 'tgi' ? new TgiEngine(options) : new OpenAIEngine(options);
}
