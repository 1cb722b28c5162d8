/** The loop's optional protocol hooks: lastTurnMessage (lagent's force stop) and assistantPrefix (HotpotQA's Thought n:). */
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../src/lib/agent/protocols/types';
import type { Action, StepResult, TaskEnvironment } from '../../src/lib/tasks/types';
import { runScripted } from './helpers/scripted-run';

const seen: { text: string; turn?: number }[] = [];
const protocol: Protocol = {
  id: 'hooks',
  env: 'tools',
  maxTurns: 2,
  observationLimit: 100,
  systemPrompt: () => 'SYS',
  taskMessage: (t) => t,
  parse: (text, options) => {
    seen.push({ text, turn: options?.turn });
    return { ok: true, thought: '', action: { type: 'tool', name: 'x', args: text } };
  },
  formatObservation: (o, turn) => `Obs ${turn}: ${o}`,
  assistantPrefix: (turn) => `T${turn}:`,
  lastTurnMessage: 'STOP',
};

class Echo implements TaskEnvironment {
  readonly id = 'tools' as const;
  async reset(): Promise<string> {
    return 'TASK';
  }
  async step(action: Action): Promise<StepResult> {
    return { observation: String((action as { args: string }).args), done: false, reward: 0 };
  }
}

describe('protocol hooks in the loop', () => {
  it('the prefix ends each prompt and starts each turn; the last-turn message is in the last prompt only', async () => {
    const run = await runScripted(protocol, new Echo(), { id: 't', env: 'tools', title: 't' }, [' a', ' b'], { mode: 'strict' });
    expect(run.prompts[0]).toBe('<|Human|>\u0D46SYS\n <|Human|>\u0D46TASK\n <|Assistant|>\u0D46T1:');
    expect(run.prompts[1]).toBe(
      '<|Human|>\u0D46SYS\n <|Human|>\u0D46TASK\n <|Assistant|>\u0D46T1: a\u0D3F\n <|Human|>\u0D46Obs 1: T1: a\n <|Human|>\u0D46STOP\n <|Assistant|>\u0D46T2:',
    );
    expect(seen).toEqual([
      { text: 'T1: a', turn: 1 },
      { text: 'T2: b', turn: 2 },
    ]);
    expect(run.done.transcript.map((m) => m.content)).toEqual(['SYS', 'TASK', 'T1: a', 'Obs 1: T1: a', 'T2: b', 'Obs 2: T2: b']);
    expect(run.done.reason).toBe('max-turns');
  });
});
