import type { EnvModule } from '../types';
import { loadSqlJs } from '../../runtimes/sqlite';
import { DbEnvironment, dbTaskFromEntry, goldStatement, type DbBenchEntry, type DbTask } from './env';
import { GOLD_REPAIRS, type GoldRepair } from './gold-repairs';
import entries from './dbbench-dev.json';

/**
 * The 60 AgentBench dbbench dev entries (THUDM/AgentBench, Apache-2.0), imported as they are. The two whose
 * label disagrees with their own table carry a note (see gold-repairs.ts).
 */
export const dbTasks: DbTask[] = (entries as unknown[]).map((entry, i) => {
  const task = dbTaskFromEntry(entry, `db-${String(i + 1).padStart(2, '0')}`);
  const note = GOLD_REPAIRS[task.id]?.labelNote;
  return note ? { ...task, note } : task;
});

function operation(thought: string, sql: string): string {
  return `${thought}\nAction: Operation\n\`\`\`sql\n${sql.replace(/\s*\n\s*/g, ' ')}\n\`\`\``;
}

/**
 * Expert turns: run the gold statement (one line), then answer with the label. For modifying tasks
 * the answer field is not scored (the table is), so the label is given there too, as AgentBench allows.
 * Where AgentBench's gold SELECT is broken as written, the expert runs its repair from gold-repairs.ts
 * instead (scoring still uses AgentBench's label and gold, unchanged).
 */
export function expertTurns(id: string, entry: DbBenchEntry): string[] {
  const repair: GoldRepair | undefined = GOLD_REPAIRS[id];
  const sql = repair?.sql ?? goldStatement(entry);
  const turns: string[] = [];
  if (sql) turns.push(operation('I will run the query that answers the question.', sql));
  if (repair?.evidence) turns.push(operation(repair.evidence.thought, repair.evidence.sql));
  turns.push(`${repair?.answerThought ?? 'The result gives the answer.'}\nAction: Answer\nFinal Answer: ${JSON.stringify(entry.label)}`);
  return turns;
}

export const envModule: EnvModule<DbTask> = {
  id: 'db',
  label: 'Database',
  protocolId: 'db',
  tasks: dbTasks,
  create: async () => {
    await loadSqlJs();
    return new DbEnvironment();
  },
  experts: Object.fromEntries(dbTasks.map((t) => [t.id, expertTurns(t.id, t.data)])),
};
