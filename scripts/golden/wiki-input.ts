/**
 * Writes tests/fixtures/golden/wiki/input.json: a scripted HotpotQA episode on one of our wiki tasks, with what our
 * offline wiki answers for each Search (the page text, or the similar titles), which scripts/golden/wiki.py feeds
 * to the original harness through a stub of the `wikipedia` package. The pages are ours (the real harness read
 * Wikipedia); the golden test checks the harness's framing of them. Run: npx tsx scripts/golden/wiki-input.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findArticle, searchArticles } from '../../src/lib/tasks/wiki/corpus';
import { wikiTasks } from '../../src/lib/tasks/wiki/questions';

const task = wikiTasks[0];
const [first] = task.data.path;
const steps = [
  { thought: `I need to search ${first} and find its creator.`, action: `Search[${first} (opera)]` },
  { thought: 'That page does not exist; the similar pages list the right title.', action: `I will search for ${first}.` },
  { thought: `I need to search ${first}.`, action: `Search[${first}]` },
  { thought: 'I can look up who made it.', action: 'Lookup[ by ]' },
  { thought: `So the answer is ${task.data.answer}.`, action: `Finish[${task.data.answer}]` },
];
const pages: Record<string, string> = {};
const similar: Record<string, string[]> = {};
for (const { action } of steps) {
  const m = /^Search\[(.+)\]$/.exec(action);
  if (!m) continue;
  const page = findArticle(m[1]);
  if (page) pages[m[1]] = page.text;
  else similar[m[1]] = searchArticles(m[1], 10).map((a) => a.title);
}
const out = join(import.meta.dirname, '../../tests/fixtures/golden/wiki/input.json');
writeFileSync(out, JSON.stringify({ task: task.id, question: task.data.question, answer: task.data.answer, steps, pages, similar }, null, 1) + '\n');
console.log(`wrote ${out}`);
