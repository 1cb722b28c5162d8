import type { EnvModule } from '../types';
import { loadSqlJs } from '../../sandbox/sqlite';
import { DbEnvironment, dbTaskFromEntry, goldStatement, type DbBenchEntry, type DbTask } from './env';
import entries from './dbbench-dev.json';

/** The 60 AgentBench dbbench dev entries (THUDM/AgentBench, Apache-2.0), imported as they are. */
export const dbTasks: DbTask[] = (entries as unknown[]).map((entry, i) => dbTaskFromEntry(entry, `db-${String(i + 1).padStart(2, '0')}`));

/**
 * Expert turns: run the gold statement (one line), then answer with the label. For modifying tasks
 * the answer field is not scored (the table is), so the label is given there too, as AgentBench allows.
 */
function expertTurns(entry: DbBenchEntry): string[] {
  const sql = goldStatement(entry)?.replace(/\s*\n\s*/g, ' ');
  const turns: string[] = [];
  if (sql) turns.push(`I will run the query that answers the question.\nAction: Operation\n\`\`\`sql\n${sql}\n\`\`\``);
  turns.push(`The result gives the answer.\nAction: Answer\nFinal Answer: ${JSON.stringify(entry.label)}`);
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
  experts: Object.fromEntries(dbTasks.map((t) => [t.id, expertTurns(t.data)])),
};
