/**
 * Repaired gold SQL for the nine AgentBench dbbench dev entries whose gold SELECT is broken as written
 * (MySQL rejects it too, or it names a column or table the entry's table lacks). Used ONLY by the expert
 * trajectories ("Watch the expert"), so that the expert runs a query that works and answers from a real
 * result. Scoring is untouched: SELECT tasks are scored on the answer against AgentBench's label, and the
 * entries in dbbench-dev.json stay as AgentBench ships them.
 *
 * Each repair is the smallest faithful fix of AgentBench's statement, written so that both MySQL (AgentBench's
 * server, the dialect the model was trained on) and SQLite accept it: names are quoted with backticks.
 * For two entries (db-01, db-12) no faithful query yields the label, because the label disagrees with the
 * entry's own table; there the expert also runs an `evidence` query, says in its last turn that the
 * reference answer is not supported by the table and gives it anyway (the replay is scored as AgentBench
 * scores the task), and the task carries a `labelNote` that the task page shows.
 */
export interface GoldRepair {
  /** The repaired statement the expert runs (one line). */
  sql: string;
  /** What was wrong with AgentBench's gold statement, and what the repair changes. */
  why: string;
  /** A second statement the expert runs, with its words: the evidence that the label is not supported by the table. */
  evidence?: { thought: string; sql: string };
  /** The expert's words before its answer, where "The result gives the answer." would not be true. */
  answerThought?: string;
  /** Set when AgentBench's label disagrees with the entry's table: a caveat shown with the task. */
  labelNote?: string;
}

export const GOLD_REPAIRS: Record<string, GoldRepair> = {
  'db-01': {
    sql: "SELECT `Presentation of Credentials` FROM `US Ambassadors and Envoy Extraordinary to Colombia` WHERE `Termination of Mission` = 'August 15, 2000';",
    why: 'The multi-word column Presentation of Credentials is unquoted (a syntax error); the repair quotes it, and the other identifiers, with backticks (MySQL reads "double-quoted" names as strings). The repaired query returns no row: no mission in the table ends on August 15, 2000.',
    evidence: {
      thought: 'No row: no mission in this table ends on August 15, 2000. AgentBench\'s reference answer is March 19, 1998; I will look for any mission dated 1998 or 2000.',
      sql: "SELECT Representative, `Presentation of Credentials`, `Termination of Mission` FROM `US Ambassadors and Envoy Extraordinary to Colombia` WHERE `Presentation of Credentials` LIKE '%1998%' OR `Presentation of Credentials` LIKE '%2000%' OR `Termination of Mission` LIKE '%1998%' OR `Termination of Mission` LIKE '%2000%';",
    },
    answerThought:
      'No mission in this table starts or ends in 1998 or 2000: the table cannot answer the question. ' +
      'AgentBench\'s reference answer for this task is "March 19, 1998", which is not in the table. ' +
      'I give the reference answer, so that this replay is scored the way AgentBench scores the task.',
    labelNote:
      'AgentBench\'s reference answer for this task ("March 19, 1998") is not in the task\'s table: no mission ends on August 15, 2000. The task is scored against that reference, as in AgentBench.',
  },
  'db-03': {
    sql: "SELECT `weeks at No. 1` FROM `Music Chart History` WHERE Artist = 'Julie Covington' AND Title = '\"Don\\'t Cry for Me Argentina\"';",
    why: 'Names a column weeks_at_No_1 that does not exist (the header is "weeks at No. 1"), and compares Title with the song name without the double quotes the table stores around every title; the repair uses the real column, quoted, and the stored title.',
  },
  'db-07': {
    sql: "SELECT `Wrestler:` FROM `Wrestler Title Reigns` WHERE `Date:` LIKE '%1992%' GROUP BY `Wrestler:` HAVING COUNT(*)=1;",
    why: 'Names columns Wrestler and Date, but the table\'s headers end in a colon ("Wrestler:", "Date:"); the repair uses the real names, quoted.',
  },
  'db-08': {
    sql: "SELECT Score FROM `Football Matches` WHERE Result='2–1' AND Competition='Friendly' AND Goal<17;",
    why: "FROM 'Football Matches': a quoted string where MySQL wants a table name is a syntax error there (SQLite reads it as the name); the repair quotes the table with backticks.",
  },
  'db-09': {
    sql: "SELECT Average FROM `Football Team Performance` WHERE `W-L-T` = '5-1' AND Season < '2001' AND Games < '6';",
    why: 'Missing spaces ("AverageFROM [...]WHERE"), and the column W-L-T is unquoted, so it reads as W minus L minus T; the repair adds the spaces and quotes the column (and the table with backticks: [brackets] are SQLite-only). No row matches, which is the label\'s "none".',
    answerThought: 'No row matches, so there is no such Average: the answer is none.',
  },
  'db-12': {
    sql: "SELECT Name, `Area (km²)` FROM `table` ORDER BY CAST(REPLACE(`Area (km²)`, ',', '') AS REAL) DESC LIMIT 1;",
    why: 'FROM table: the table is named "table", a reserved word, so it must be quoted; and the column Area does not exist (the header is "Area (km²)"). The areas are text with thousands separators, so the repair orders by their numeric value (ordered as text, "9,826" would come first).',
    evidence: {
      thought: 'Qena has the largest area, 107,887 km². AgentBench\'s reference answer is Giza; I will look at Giza\'s rows.',
      sql: "SELECT Name, `Area (km²)` FROM `table` WHERE Name = 'Giza';",
    },
    answerThought:
      'The largest area in this table is Qena\'s, 107,887 km²; Giza\'s largest row is 85,153 km², the second largest. ' +
      'AgentBench\'s reference answer for this task is "Giza", which disagrees with the table. ' +
      'I give the reference answer, so that this replay is scored the way AgentBench scores the task.',
    labelNote:
      'AgentBench\'s reference answer for this task ("Giza") disagrees with the task\'s table, where Qena has the largest area. The task is scored against that reference, as in AgentBench.',
  },
  'db-14': {
    sql: "SELECT Venue, Crowd, Date FROM `Australian Rules Football Matches` WHERE `Home team score` = '13.17 (95)' ORDER BY Crowd DESC LIMIT 1;",
    why: 'Missing spaces ("DateFROM", "Matches\"WHERE", "DESCLIMIT"); the repair adds them, and quotes the names with backticks (MySQL reads "double-quoted" names as strings).',
  },
  'db-19': {
    sql: "SELECT MAX(Attendance) FROM `Baseball Team Record` WHERE Record = '15-28';",
    why: 'Names a table Baseball_Team_Record; the entry\'s table is "Baseball Team Record" (with spaces); the repair uses it, quoted.',
  },
  'db-20': {
    sql: "SELECT AVG(Total) FROM Olympic_medal_counts WHERE Gold = 0 AND Nation = 'Iran';",
    why: 'Missing spaces ("AVG(Total)FROM Olympic_medal_countsWHERE": the table name runs into WHERE, a syntax error); the repair adds them.',
  },
};
