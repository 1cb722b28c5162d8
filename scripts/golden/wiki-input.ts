/**
 * Writes tests/fixtures/golden/wiki/input.json: two scripted HotpotQA episodes on our wiki tasks, with what our
 * offline wiki answers for each Search (the page text, or the similar titles), which scripts/golden/wiki.py feeds
 * to the original harness through a stub of the `wikipedia` package. `steps` answers the task (two replies with
 * lines after the action, which the harness's newline-cut calls drop); `halt` rambles over other pages until the
 * prompt passes the harness's 2000 tokens. The pages are ours (the real harness read Wikipedia); the golden test
 * checks the harness's framing of them. Run: npx tsx scripts/golden/wiki-input.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findArticle, searchArticles } from '../../src/lib/tasks/wiki/corpus';
import { wikiTasks } from '../../src/lib/tasks/wiki/questions';

interface Step {
  thought: string;
  action: string;
  /** What the model wrote after the action line (the harness's second call stops before it). */
  after?: string;
}

const task = wikiTasks[0];
const [first] = task.data.path;
const steps: Step[] = [
  { thought: `I need to search ${first} and find its creator.`, action: `Search[${first} (opera)]` },
  { thought: 'That page does not exist; the similar pages list the right title.', action: `I will search for ${first}.` },
  { thought: `I need to search ${first}.`, action: `Search[${first}]`, after: '\nThen I will look up its author.\nThought 4: Lookup[by]' },
  { thought: 'I can look up who made it.', action: 'Lookup[ by ]', after: '\n' },
  { thought: `So the answer is ${task.data.answer}.`, action: `Finish[${task.data.answer}]` },
];

const ramble =
  'I have not found the answer yet, so I should keep reading about every person, place and work that the question ' +
  'could touch, one page after another, and compare what each page says about where and when things happened, ' +
  'because the answer may hang on a detail that only one of these pages gives. ';
const haltTask = wikiTasks[1];
const others = wikiTasks.slice(2, 12).map((t) => t.data.path[0]);
const haltSteps: Step[] = others.map((title) => ({ thought: ramble.repeat(2).trim(), action: `Search[${title}]`, after: '\nI will read it.' }));

const pages: Record<string, string> = {};
const similar: Record<string, string[]> = {};
for (const { action } of [...steps, ...haltSteps]) {
  const m = /^Search\[(.+)\]$/.exec(action);
  if (!m) continue;
  const page = findArticle(m[1]);
  if (page) pages[m[1]] = page.text;
  else similar[m[1]] = searchArticles(m[1], 10).map((a) => a.title);
}
const episode = (t: typeof task, s: Step[]) => ({ task: t.id, question: t.data.question, answer: t.data.answer, steps: s });
const out = join(import.meta.dirname, '../../tests/fixtures/golden/wiki/input.json');
writeFileSync(out, JSON.stringify({ ...episode(task, steps), halt: episode(haltTask, haltSteps), pages, similar }, null, 1) + '\n');
console.log(`wrote ${out}`);
