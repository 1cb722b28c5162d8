import { describe, expect, it } from 'vitest';
import { snapToAdmissible } from '../../src/lib/tasks/household/bleu';
import { envModule, HouseholdEnvironment, processOb } from '../../src/lib/tasks/household/index';
import { generateLayout, TASK_TYPES, type Goal, type Layout } from '../../src/lib/tasks/household/scene';
import { Household, listThings } from '../../src/lib/tasks/household/sim';
import { MAX_STEPS } from '../../src/lib/tasks/household/tasks';
import { replayExpert } from './helpers/replay-expert';

function layout(goal: Goal): Layout {
  return {
    room: 'kitchen',
    goal,
    receptacles: [
      { name: 'countertop 1', type: 'countertop', openable: false, contents: ['apple 1', 'knife 1'] },
      { name: 'cabinet 2', type: 'cabinet', openable: true, contents: ['mug 1'] },
      { name: 'cabinet 1', type: 'cabinet', openable: true, contents: [] },
      { name: 'sinkbasin 1', type: 'sinkbasin', openable: false, contents: [] },
      { name: 'microwave 1', type: 'microwave', openable: true, contents: [] },
      { name: 'fridge 1', type: 'fridge', openable: true, contents: ['mug 2'] },
      { name: 'desk 1', type: 'desk', openable: false, contents: ['desklamp 1'] },
      { name: 'diningtable 1', type: 'diningtable', openable: false, contents: [] },
    ],
  };
}
const placeMug: Goal = { type: 'pick_and_place', object: 'mug', target: 'diningtable', text: 'put a mug in diningtable.' };

describe('ALFWorld wording helpers', () => {
  it('lists things with "a" and a final ", and"', () => {
    expect(listThings([])).toBe('nothing');
    expect(listThings(['apple 1'])).toBe('a apple 1');
    expect(listThings(['apple 1', 'egg 2'])).toBe('a apple 1, and a egg 2');
    expect(listThings(['apple 1', 'egg 2', 'cup 1'])).toBe('a apple 1, a egg 2, and a cup 1');
  });

  it('describes the room by receptacle type, numbers descending', () => {
    expect(new Household(layout(placeMug)).roomDescription()).toBe(
      'You are in the middle of a room. Looking quickly around you, you see a cabinet 2, a cabinet 1, a countertop 1, a desk 1, a diningtable 1, a fridge 1, a microwave 1, and a sinkbasin 1.',
    );
  });
});

describe('Household commands', () => {
  it('go to, open, close, take, put, inventory, look and examine', () => {
    const h = new Household(layout(placeMug));
    expect(h.execute('look')).toBe(h.roomDescription());
    expect(h.execute('go to countertop 1')).toBe('You arrive at loc 1. On the countertop 1, you see a apple 1, and a knife 1.');
    expect(h.execute('look')).toBe('You are facing the countertop 1. Next to it, you see nothing.');
    expect(h.execute('go to cabinet 2')).toBe('You arrive at loc 2. The cabinet 2 is closed.');
    expect(h.execute('take mug 1 from cabinet 2')).toBe('Nothing happened.');
    expect(h.execute('open cabinet 2')).toBe('You open the cabinet 2. The cabinet 2 is open. In it, you see a mug 1.');
    expect(h.execute('open cabinet 2')).toBe('Nothing happened.');
    expect(h.execute('examine cabinet 2')).toBe('The cabinet 2 is open. In it, you see a mug 1.');
    expect(h.execute('inventory')).toBe('You are not carrying anything.');
    expect(h.execute('take mug 1 from cabinet 2')).toBe('You pick up the mug 1 from the cabinet 2.');
    expect(h.execute('inventory')).toBe('You are carrying: a mug 1.');
    expect(h.execute('examine mug 1')).toBe("There's nothing special about mug 1.");
    expect(h.execute('close cabinet 2')).toBe('You close the cabinet 2.');
    expect(h.execute('go to diningtable 1')).toBe('You arrive at loc 8. On the diningtable 1, you see nothing.');
    expect(h.execute('put apple 1 in/on diningtable 1')).toBe('Nothing happened.');
    expect(h.execute('put mug 1 in/on diningtable 1')).toBe('You put the mug 1 in/on the diningtable 1.');
    expect(h.goalReached()).toBe(true);
  });

  it('accepts "put X in Y" and "put X on Y" as well as "in/on"', () => {
    const h = new Household(layout(placeMug));
    h.execute('go to countertop 1');
    h.execute('take apple 1 from countertop 1');
    expect(h.execute('put apple 1 on countertop 1')).toBe('You put the apple 1 in/on the countertop 1.');
    h.execute('take apple 1 from countertop 1');
    expect(h.execute('put apple 1 in countertop 1')).toBe('You put the apple 1 in/on the countertop 1.');
  });

  it('says "Nothing happened." to invalid or impossible commands', () => {
    const h = new Household(layout(placeMug));
    for (const c of ['dance', 'go to moon 1', 'open countertop 1', 'take apple 1 from countertop 1', 'use desklamp 1', 'clean apple 1 with sinkbasin 1', 'examine apple 1', '']) {
      expect(h.execute(c), c).toBe('Nothing happened.');
    }
    h.execute('go to countertop 1');
    h.execute('take apple 1 from countertop 1');
    expect(h.execute('take knife 1 from countertop 1')).toBe('Nothing happened.'); // hands full
    expect(h.execute('heat apple 1 with sinkbasin 1')).toBe('Nothing happened.'); // not here, wrong appliance
  });

  it('clean, heat and cool need the right appliance at hand; slice needs a knife', () => {
    const h = new Household(layout(placeMug));
    h.execute('go to countertop 1');
    h.execute('take knife 1 from countertop 1');
    expect(h.execute('slice apple 1 with knife 1')).toBe('You slice the apple 1 using the knife 1.');
    expect(h.execute('examine apple 1')).toBe('This is a sliced apple 1.');
    h.execute('put knife 1 in/on countertop 1');
    h.execute('take apple 1 from countertop 1');
    expect(h.execute('clean apple 1 with sinkbasin 1')).toBe('Nothing happened.');
    h.execute('go to sinkbasin 1');
    expect(h.execute('clean apple 1 with sinkbasin 1')).toBe('You clean the apple 1 using the sinkbasin 1.');
    h.execute('go to microwave 1');
    expect(h.execute('heat apple 1 with microwave 1')).toBe('You heat the apple 1 using the microwave 1.');
    expect(h.state('apple 1')).toMatchObject({ clean: true, hot: true, cool: false });
    h.execute('go to fridge 1');
    expect(h.execute('cool apple 1 with fridge 1')).toBe('You cool the apple 1 using the fridge 1.');
    expect(h.state('apple 1')).toMatchObject({ hot: false, cool: true });
  });
});

describe('success conditions of the six task types', () => {
  it('clean / heat / cool then place need the state on the placed object', () => {
    for (const [type, verb, appliance] of [
      ['pick_clean_then_place', 'clean', 'sinkbasin 1'],
      ['pick_heat_then_place', 'heat', 'microwave 1'],
      ['pick_cool_then_place', 'cool', 'fridge 1'],
    ] as const) {
      const h = new Household(layout({ type, object: 'apple', target: 'diningtable', text: '' }));
      h.execute('go to countertop 1');
      h.execute('take apple 1 from countertop 1');
      h.execute('go to diningtable 1');
      h.execute('put apple 1 in/on diningtable 1');
      expect(h.goalReached(), type).toBe(false);
      h.execute('take apple 1 from diningtable 1');
      h.execute(`go to ${appliance}`);
      h.execute(`${verb} apple 1 with ${appliance}`);
      h.execute('go to diningtable 1');
      h.execute('put apple 1 in/on diningtable 1');
      expect(h.goalReached(), type).toBe(true);
    }
  });

  it('pick two needs two objects of the type in one target receptacle', () => {
    const h = new Household(layout({ type: 'pick_two_obj_and_place', object: 'mug', target: 'cabinet', text: '' }));
    h.execute('go to fridge 1');
    h.execute('open fridge 1');
    h.execute('take mug 2 from fridge 1');
    h.execute('go to cabinet 1');
    h.execute('open cabinet 1');
    h.execute('put mug 2 in/on cabinet 1');
    expect(h.goalReached()).toBe(false); // cabinet 2 still holds mug 1 alone, cabinet 1 holds mug 2 alone
    h.execute('go to cabinet 2');
    h.execute('open cabinet 2');
    h.execute('take mug 1 from cabinet 2');
    h.execute('go to cabinet 1');
    h.execute('put mug 1 in/on cabinet 1');
    expect(h.goalReached()).toBe(true);
  });

  it('look at in light needs the object in hand and a lit lamp where one stands', () => {
    const h = new Household(layout({ type: 'look_at_obj_in_light', object: 'apple', lamp: 'desklamp', text: '' }));
    h.execute('go to desk 1');
    expect(h.execute('use desklamp 1')).toBe('You turn on the desklamp 1.');
    expect(h.goalReached()).toBe(false);
    h.execute('go to countertop 1');
    h.execute('take apple 1 from countertop 1');
    expect(h.goalReached()).toBe(false); // the lamp is on, but not here
    h.execute('go to desk 1');
    expect(h.goalReached()).toBe(true);
  });
});

describe('HouseholdEnvironment', () => {
  const task = envModule.tasks[0];

  it('starts with the room and the task on the next line', async () => {
    const env = new HouseholdEnvironment();
    const first = await env.reset(task);
    expect(first).toMatch(/^You are in the middle of a room\. Looking quickly around you, you see a .+\.\nYour task is to: (put|find) .+\.$/);
  });

  it('ends with reward 0 after 35 steps without success', async () => {
    const env = new HouseholdEnvironment();
    await env.reset(task);
    for (let i = 1; i < MAX_STEPS; i++) expect(await env.step({ type: 'tool', name: 'act', args: 'look' })).toMatchObject({ done: false, reward: 0 });
    const last = await env.step({ type: 'tool', name: 'act', args: 'look' });
    expect(MAX_STEPS).toBe(35);
    expect(last.done).toBe(true);
    expect(last.reward).toBe(0);
    expect(last.observation).toContain('You have used all 35 steps without completing the task.');
  });

  it('treats any other action as an invalid command', async () => {
    const env = new HouseholdEnvironment();
    await env.reset(task);
    expect(await env.step({ type: 'final', answer: 'done' })).toEqual({ observation: 'Nothing happened.', done: false, reward: 0 });
  });
});

describe('household catalog', () => {
  it('has at least 30 tasks covering all six task types', () => {
    expect(envModule.tasks.length).toBeGreaterThanOrEqual(30);
    expect(new Set(envModule.tasks.map((t) => t.data.taskType))).toEqual(new Set(TASK_TYPES));
  });

  it('generates the same layout from the same seed, and no goal starts satisfied', () => {
    for (const t of envModule.tasks) {
      const a = generateLayout(t.data.seed, t.data.taskType);
      expect(generateLayout(t.data.seed, t.data.taskType)).toEqual(a);
      expect(new Household(a).goalReached(), t.id).toBe(false);
      const names = a.receptacles.flatMap((r) => r.contents);
      expect(new Set(names).size, t.id).toBe(names.length);
    }
  });

  it.each(['lenient', 'strict'] as const)('every expert, parsed by the household protocol (%s), succeeds within 35 steps', async (mode) => {
    for (const t of envModule.tasks) {
      const results = await replayExpert(envModule, t, mode);
      expect(results.length, t.id).toBeLessThanOrEqual(MAX_STEPS);
      for (const r of results) expect(r.observation, t.id).not.toBe('Nothing happened.');
      expect(results.at(-1), t.id).toMatchObject({ done: true, reward: 1 });
    }
  });
});

describe('AgentBench\'s ALFWorld harness around the simulator (utils.py)', () => {
  it('strips "You arrive at loc N. " as process_ob does, Python\'s find(-1) included', () => {
    expect(processOb('You arrive at loc 3. On the desk 1, you see nothing.')).toBe('On the desk 1, you see nothing.');
    expect(processOb('You arrive at loc 3.')).toBe('ou arrive at loc 3.');
    expect(processOb('Nothing happened.')).toBe('Nothing happened.');
  });

  it('every admissible command does something, and every expert command is admissible when it is issued', () => {
    for (const t of envModule.tasks) {
      const layout = generateLayout(t.data.seed, t.data.taskType);
      const commands = envModule.experts[t.id].map((turn) => /ACTION: (.*)\n/.exec(turn)![1]);
      const sim = new Household(layout);
      commands.forEach((command, i) => {
        const admissible = sim.admissibleCommands();
        expect(admissible, `${t.id}: ${command}`).toContain(command);
        for (const c of admissible.filter((x) => !x.startsWith('go to'))) {
          const probe = new Household(layout);
          for (const prior of commands.slice(0, i)) probe.execute(prior);
          expect(probe.execute(c), `${t.id}: admissible "${c}"`).not.toBe('Nothing happened.');
        }
        sim.execute(command);
      });
    }
  });

  it('snaps a command that is not admissible to the nearest by BLEU, above 0.01 only', () => {
    const choices = ['go to desk 1', 'go to shelf 1', 'take book 2 from shelf 1', 'look'];
    expect(snapToAdmissible('go to desk 1', choices)).toBe('go to desk 1');
    expect(snapToAdmissible('goto desk 1', choices)).toBe('go to desk 1');
    expect(snapToAdmissible('take the book 2 from shelf 1', choices)).toBe('take book 2 from shelf 1');
    expect(snapToAdmissible('fly away', choices)).toBe('fly away');
    expect(snapToAdmissible('anything', [])).toBe('anything');
  });
});
