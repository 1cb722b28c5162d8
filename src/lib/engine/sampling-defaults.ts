/**
 * The one definition of the generation defaults: InternLM's own Agent-FLAN demo settings (lagent PR #183).
 * The engine applies them to a request that leaves them out, the agent loop and the app's settings start from them.
 */
export const SAMPLING_DEFAULTS = { temperature: 0.1, topP: 0.8, maxNewTokens: 1024 } as const;
