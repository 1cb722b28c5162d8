/**
 * Writes tests/fixtures/golden/household/input.json: one household task and scripted replies, with what our
 * simulator does for them (its admissible commands before each step, the command we run, its raw feedback), for
 * scripts/golden/household.py to feed the original ALFWorld harness as its environment. The Python side checks that
 * the original `process_action` picks the same command. Run: npx tsx scripts/golden/household-input.ts
 */
import { writeFileSync } from 'node:fs';
import { getProtocol } from '../../src/lib/agent/protocols';
import { snapToAdmissible } from '../../src/lib/tasks/household/bleu';
import { generateLayout } from '../../src/lib/tasks/household/scene';
import { Household } from '../../src/lib/tasks/household/sim';
import { householdTasks } from '../../src/lib/tasks/household/tasks';

const task = householdTasks.find((t) => t.id === 'household-pick_and_place-1')!;
const layout = generateLayout(task.data.seed, task.data.taskType);
const sim = new Household(layout);
const first = layout.receptacles[0].name;
const replies = [
  `THOUGHT: I should look for the ${layout.goal.object} first.\n ACTION: go to ${first}\n`,
  `ACTION: goto ${layout.receptacles[1].name}\n`,
  'I will look around.',
  'ACTION: fly away\n',
  'ACTION: fly away\n',
  'ACTION: fly away\n',
];
const protocol = getProtocol('household');
const steps = replies.map((reply) => {
  const parsed = protocol.parse(reply, { mode: 'strict' });
  if (!parsed.ok || parsed.action.type !== 'tool') throw new Error(`strict household parse failed for ${reply}`);
  const admissible = sim.admissibleCommands();
  const action = snapToAdmissible(String(parsed.action.args), admissible);
  return { admissible, action, raw: sim.execute(action), won: sim.goalReached() };
});
const input = {
  note: 'Made by scripts/golden/household-input.ts from our simulator; read by scripts/golden/household.py.',
  taskId: task.id,
  gamefile: `/data/json_2.1.1/valid_seen/${task.data.taskType}-Golden-None-Golden-1/trial_T0/game.tw-pddl`,
  initial: `-= Welcome to TextWorld, ALFRED! =-\n\n${sim.roomDescription()}\n\nYour task is to: ${layout.goal.text}`,
  initialAdmissible: new Household(layout).admissibleCommands(),
  replies,
  steps,
};
writeFileSync(new URL('../../tests/fixtures/golden/household/input.json', import.meta.url), JSON.stringify(input, null, 2) + '\n');
console.log('wrote tests/fixtures/golden/household/input.json');
