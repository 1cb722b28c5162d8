/**
 * The household environment in ALFWorld's format, as AgentBench drives it (`AgentBench.old/src/tasks/alfworld/
 * task.py:185-218`, `utils.py`): the first observation describes the room and the task; a command that is not
 * admissible is first snapped to the nearest admissible one by BLEU (`process_action`, utils.py:26-54), then run;
 * the feedback loses a leading "You arrive at loc N. " (`process_ob`, utils.py:19-22) and is "Nothing happened."
 * when the command does nothing. Success ends the episode with reward 1, 35 steps without success with 0.
 */
import type { Action, EnvModule, EnvView, StepResult, TaskEnvironment } from '../types';
import { generateLayout } from './scene';
import { snapToAdmissible } from './bleu';
import { Household, NOTHING } from './sim';
import { householdExperts, householdTasks, MAX_STEPS, type HouseholdTask } from './tasks';

export class HouseholdEnvironment implements TaskEnvironment<HouseholdTask> {
  readonly id = 'household' as const;
  private sim?: Household;
  private steps = 0;
  private finished?: { reward: number };

  async reset(task: HouseholdTask): Promise<string> {
    const layout = generateLayout(task.data.seed, task.data.taskType);
    this.sim = new Household(layout);
    this.steps = 0;
    this.finished = undefined;
    return `${this.sim.roomDescription()}\nYour task is to: ${layout.goal.text}`;
  }

  async step(action: Action): Promise<StepResult> {
    const sim = this.sim;
    if (!sim) throw new Error('HouseholdEnvironment.step: call reset(task) first');
    if (this.finished) return { observation: 'The episode has already finished.', done: true, reward: this.finished.reward };
    this.steps++;
    const feedback =
      action.type === 'tool' && action.name === 'act' && typeof action.args === 'string'
        ? processOb(sim.execute(snapToAdmissible(action.args, sim.admissibleCommands())))
        : NOTHING;
    if (sim.goalReached()) {
      this.finished = { reward: 1 };
      return { observation: feedback, done: true, reward: 1 };
    }
    if (this.steps >= MAX_STEPS) {
      this.finished = { reward: 0 };
      return { observation: `${feedback}\nYou have used all ${MAX_STEPS} steps without completing the task.`, done: true, reward: 0 };
    }
    return { observation: feedback, done: false, reward: 0 };
  }

  async view(): Promise<EnvView> {
    const sim = this.sim;
    return {
      kind: 'household',
      goal: sim?.goal.text,
      location: sim?.location?.name ?? null,
      holding: sim?.holding ?? null,
      steps: this.steps,
      maxSteps: MAX_STEPS,
      receptacles: sim?.receptacles.map((r) => ({ name: r.name, openable: r.openable, open: sim.isOpen(r), contents: [...r.contents] })) ?? [],
      success: this.finished ? this.finished.reward === 1 : undefined,
    };
  }
}

/** utils.py:19-22, Python's `find` returning -1 included. */
export function processOb(ob: string): string {
  return ob.startsWith('You arrive at loc ') ? ob.slice(ob.indexOf('. ') + 2) : ob;
}

export const envModule: EnvModule<HouseholdTask> = {
  id: 'household',
  label: 'Household (ALFWorld-style text world, generated rooms)',
  protocolId: 'household',
  tasks: householdTasks,
  create: async () => new HouseholdEnvironment(),
  experts: householdExperts,
};
