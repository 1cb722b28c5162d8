/// <reference types="svelte" />
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Where the models are served from (absolute, or relative to the page). Default `models/`. */
  readonly VITE_MODEL_ORIGIN?: string;
}
