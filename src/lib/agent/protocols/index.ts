import type { Protocol } from './types';
import { osProtocol } from './os';
import { dbProtocol } from './db';
import { kgProtocol } from './kg';
import { householdProtocol } from './household';
import { shopProtocol } from './shop';
import { wikiProtocol } from './wiki';
import { reactProtocol } from './react';
import { toolbenchProtocol } from './toolbench';

export const protocols: Record<string, Protocol> = {
  os: osProtocol,
  db: dbProtocol,
  kg: kgProtocol,
  household: householdProtocol,
  shop: shopProtocol,
  wiki: wikiProtocol,
  react: reactProtocol,
  toolbench: toolbenchProtocol,
};

export function getProtocol(id: string): Protocol {
  const protocol = protocols[id];
  if (!protocol) {
    throw new Error(`Unknown protocol "${id}". Known protocols: ${Object.keys(protocols).join(', ')}.`);
  }
  return protocol;
}

export type { Protocol, ParseResult, ToolSpec } from './types';
