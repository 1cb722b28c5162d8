/**
 * What the app says about models it does not have: the way to Agent-FLAN-7B (the model the demo is for), and
 * which loaded model is the random-weight test model, whose output is noise by design.
 */
import type { ModelIndex } from '../../models/manifest';

/** The test model `npm run fixtures` builds (scripts/convert/fixture-models.ts): random weights. */
export const TEST_MODEL_ID = 'tiny-random-agent-flan';
/** The id `npm run convert` is documented to write Agent-FLAN-7B under (README). */
export const AGENT_FLAN_7B_ID = 'agent-flan-7b';

export function isTestModel(id: string | null | undefined): boolean {
  return id === TEST_MODEL_ID;
}

/** What Agent-FLAN-7B needs, from the README's measured figures (q4f16 / q4 builds at the full 4096-token context). */
export const AGENT_FLAN_7B_NEEDS = {
  gpuMemory: 'about 6.4 GB of GPU memory with shader-f16 (q4f16), about 9.3 GB without it (q4)',
  storage: 'about 4.1 GB (q4f16) or 4.8 GB (q4) of browser storage',
  convert: 'npm run convert -- ~/models/Agent-FLAN-7b public/models/agent-flan-7b --dtype q4f16,q4',
} as const;

export function missingModelMessage(asked: string, models: ModelIndex['models'], baseUrl: string): string {
  const has = models.length ? `it serves ${models.map((m) => m.id).join(', ')}` : 'it lists no model';
  const how =
    asked === AGENT_FLAN_7B_ID
      ? ' Agent-FLAN-7B is not redistributed with this site: convert it and host it (the Models view says how), then open this page with ?models=<that host>.'
      : '';
  return `The model origin ${baseUrl} has no model "${asked}" (${has}).${how}`;
}
