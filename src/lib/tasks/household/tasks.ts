/**
 * The household task catalog (six per ALFWorld task type) and expert trajectories. The expert is planned
 * against the simulator itself, so every command it issues is known to work when the catalog is built.
 */
import type { TaskSpec } from '../types';
import { createRng } from '../random';
import { generateLayout, TASK_TYPES, typeOf, type Layout, type TaskType } from './scene';
import { Household, NOTHING } from './sim';

export interface HouseholdTaskData {
  seed: number;
  taskType: TaskType;
}

export type HouseholdTask = TaskSpec & { env: 'household'; data: HouseholdTaskData };

const PER_TYPE = 6;
export const MAX_STEPS = 35;

const turn = (command: string, thought?: string) => (thought ? `THOUGHT: ${thought}\n ACTION: ${command}\n` : `ACTION: ${command}\n`);

/** Plans the expert's turns by acting in a private copy of the household. */
export function planExpert(layout: Layout, seed: number): string[] {
  const sim = new Household(layout);
  const rng = createRng(seed ^ 0x5eed);
  const goal = layout.goal;
  const turns: string[] = [];
  const act = (command: string, thought?: string) => {
    const feedback = sim.execute(command);
    if (feedback === NOTHING) throw new Error(`household expert: "${command}" does nothing in task "${goal.text}"`);
    turns.push(turn(command, thought));
    return feedback;
  };
  const searched = new Set<string>();

  const fetch = (first: boolean) => {
    const holders = sim.receptacles.filter((r) => r.type !== goal.target && r.contents.some((o) => typeOf(o) === goal.object));
    const source = holders[0];
    const decoys = rng
      .shuffle(sim.receptacles.filter((r) => r.type !== goal.target && !searched.has(r.name) && !r.contents.some((o) => typeOf(o) === goal.object) && !['microwave', 'toaster', 'coffeemachine', 'stoveburner', 'garbagecan'].includes(r.type)))
      .slice(0, first ? 2 : 1);
    let thought: string | undefined = first
      ? `To solve the task, I need to find and take ${goal.type === 'pick_two_obj_and_place' ? `the first ${goal.object}` : `a ${goal.object}`}. I will check the places where a ${goal.object} is likely to be, one by one.`
      : `Now I need to find the second ${goal.object}.`;
    for (const r of [...decoys, source]) {
      searched.add(r.name);
      act(`go to ${r.name}`, thought);
      thought = undefined;
      if (r.openable && !sim.isOpen(r)) act(`open ${r.name}`);
      if (r === source) {
        const object = r.contents.find((o) => typeOf(o) === goal.object)!;
        act(`take ${object} from ${r.name}`, `I found a ${goal.object}: ${object} is here. I will take it.`);
        return object;
      }
    }
    throw new Error('unreachable');
  };

  const placeAt = (object: string, thought: string) => {
    const target = sim.receptacles.find((r) => r.type === goal.target)!;
    act(`go to ${target.name}`, thought);
    if (target.openable && !sim.isOpen(target)) act(`open ${target.name}`);
    act(`put ${object} in/on ${target.name}`);
  };

  if (goal.type === 'look_at_obj_in_light') {
    const object = fetch(true);
    const holder = sim.receptacles.find((r) => r.contents.some((o) => typeOf(o) === goal.lamp))!;
    const lamp = holder.contents.find((o) => typeOf(o) === goal.lamp)!;
    if (sim.location !== holder) act(`go to ${holder.name}`, `Now I have the ${object}. Next I need to find a ${goal.lamp} and turn it on. I saw one on the ${holder.name}.`);
    act(`use ${lamp}`, `I will turn on the ${lamp} to look at the ${object} under it.`);
    return turns;
  }

  const object = fetch(true);
  const tool = { pick_clean_then_place: ['clean', 'sinkbasin'], pick_heat_then_place: ['heat', 'microwave'], pick_cool_then_place: ['cool', 'fridge'] }[goal.type as string];
  if (tool) {
    const appliance = sim.receptacles.find((r) => r.type === tool[1])!;
    act(`go to ${appliance.name}`, `Now I take the ${object}. Next, I need to go to the ${appliance.name} and ${tool[0]} it.`);
    act(`${tool[0]} ${object} with ${appliance.name}`);
  }
  placeAt(object, `Now I need to put the ${object} in/on the ${goal.target}.`);
  if (goal.type === 'pick_two_obj_and_place') {
    const second = fetch(false);
    placeAt(second, `Now I put the second ${goal.object} in/on the ${goal.target} too.`);
  }
  return turns;
}

function build(): { tasks: HouseholdTask[]; experts: Record<string, string[]> } {
  const tasks: HouseholdTask[] = [];
  const experts: Record<string, string[]> = {};
  TASK_TYPES.forEach((taskType, t) => {
    for (let i = 0; i < PER_TYPE; i++) {
      const seed = 7001 + 97 * t + 13 * i;
      const layout = generateLayout(seed, taskType);
      const id = `household-${taskType}-${i + 1}`;
      const text = layout.goal.text;
      tasks.push({ id, env: 'household', title: `${text[0].toUpperCase()}${text.slice(1)} (${layout.room})`, data: { seed, taskType } });
      experts[id] = planExpert(layout, seed);
    }
  });
  return { tasks, experts };
}

export const { tasks: householdTasks, experts: householdExperts } = build();
