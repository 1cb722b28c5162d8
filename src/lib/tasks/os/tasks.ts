/**
 * OS tasks in AgentBench's OS-interaction format. Those marked `adaptedFrom` follow a task of
 * THUDM/AgentBench `data/os_interaction/data/*` (description kept; setup rewritten as initial files where
 * the original used a setup script; checks that need a real kernel, users or processes left out).
 */
import type { TaskSpec } from '../types';
import { GROUP, PASSWD, accessLog, appLog, numbers, stockLog } from './files';

export type OsEvaluation =
  /** The answer must equal this string (trimmed). */
  | { match: string }
  /**
   * The answer is compared with the output of `example`, run in the same shell after the episode
   * (AgentBench's check with a null first script): as integers, or as trimmed strings.
   */
  | { compare: 'integer' | 'string'; example: string }
  /** A check script run after the agent finishes; exit status 0 passes. `$ANSWER` holds the answer, if any. */
  | { check: string };

export interface OsTaskData {
  description: string;
  /** Initial file system: path -> content. */
  files: Record<string, string>;
  /** Setup commands run after the files are written (mkdir, chmod, ...). */
  init?: string;
  evaluation: OsEvaluation;
  adaptedFrom?: string;
}

export type OsTask = TaskSpec & { env: 'os'; data: OsTaskData };

const HOME_FILES = {
  '/home/OSbench': 'This is a random string: wuafjva-niqt12r-j9asd19-afj12-sdmxai\n',
  '/home/tmpfile': '',
  '/home/tmpdir/inner': '',
};

function task(id: string, title: string, data: OsTaskData): OsTask {
  return { id: `os-${id}`, env: 'os', title, data };
}

export const osTasks: OsTask[] = [
  task('hidden-files', 'Count hidden files in /home', {
    description: 'How many hidden files are in /home? (not including subdirectories)',
    files: Object.fromEntries(['.tmp', '.tmp2', '.tm12p', '.f', '.u', '.k'].map((n) => [`/home/${n}`, '123\n'])),
    init: 'mkdir -p /home/.cache && echo 1 > /home/.cache/.inner',
    evaluation: { compare: 'integer', example: "find /home -maxdepth 1 -type f -name '.*' | wc -l" },
    adaptedFrom: 'dev.json: hidden files in /home',
  }),
  task('letter-files', 'Count files in /root whose name starts with a letter', {
    description: 'How many files whose name starts with letter exist in /root?',
    files: {
      '/root/tmp': '123\n',
      '/root/.tmp2': 'abcd\n',
      '/root/.tm12p': 'abcdabcd\n',
      '/root/f': 'abcdabcdabcdabcd\n',
      '/root/.u': 'abcdabcdabcdabcdabcdabcdabcdabcd\n',
      '/root/.k': 'abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd\n',
      '/root/9lives': 'x\n',
    },
    evaluation: { compare: 'integer', example: "ls -1 /root | grep '^[[:alpha:]]' | wc -l" },
    adaptedFrom: 'dev.json: files whose name starts with a letter in /root',
  }),
  task('empty-files', 'Count empty files under /home', {
    description: 'How many empty files are there in /home and all of its content?',
    files: HOME_FILES,
    evaluation: { compare: 'integer', example: 'find /home -type f -size 0 | wc -l' },
    adaptedFrom: 'dev.json: empty files in /home',
  }),
  task('dirs-recursive', 'Count directories under /home', {
    description: 'How many directories (recursively) are in the /home directory?',
    files: HOME_FILES,
    evaluation: { compare: 'integer', example: 'find /home -type d | wc -l' },
    adaptedFrom: 'dev.json: directories recursively in /home',
  }),
  task('helloworld', 'Count .helloworld files', {
    description: 'Recursively Find how many files have the extension .helloworld',
    files: {
      '/root/.tmp': '123\n',
      '/root/.tmp2': '123\n',
      '/root/1.helloworld': '123\n',
      '/root/.helloworld': '123\n',
      '/root/.u': '123\n',
      '/root/2.helloworld': '123\n',
      '/root/deep/er/3.helloworld': '123\n',
      '/root/deep/readme.txt': 'not this one\n',
    },
    evaluation: { compare: 'integer', example: "find /root -type f -name '*.helloworld' | wc -l" },
    adaptedFrom: 'dev.json: files with the extension .helloworld',
  }),
  task('stock-bob-sold', 'How many times did Bob sell a stock?', {
    description:
      'Stock logs are shown in /usr/stock.log. The last two columns are stock index and count respectively. Tell me how many times Bob sold a stock.',
    files: { '/usr/stock.log': stockLog() },
    evaluation: { compare: 'integer', example: "grep -c '^Bob | Sell |' /usr/stock.log" },
    adaptedFrom: 'dev.json / data/1: stock log, how many times Bob sold',
  }),
  task('stock-alice-bought', 'Total count of stock Alice bought', {
    description:
      'Stock logs are shown in /usr/stock.log. The last two columns are stock index and count respectively. Tell me the total count of stocks that Alice bought.',
    files: { '/usr/stock.log': stockLog() },
    evaluation: { compare: 'integer', example: "awk -F' [|] ' '$1 == \"Alice\" && $2 == \"Buy\" { s += $4 } END { print s }' /usr/stock.log" },
    adaptedFrom: 'data/1: stock log questions',
  }),
  task('echo-love', 'Find the directory holding the echo-love executable', {
    description:
      'I remember I had a directory for executables, and there was an executable echo-love in there. But I forgot the path of this directory. Can you tell me the full path of this directory?',
    files: {
      '/root/projects/site/index.html': '<h1>hi</h1>\n',
      '/root/projects/tools/notes/echo-love.txt': 'a note, not the executable\n',
      '/root/projects/tools/v2/bin/echo-love': '#!/bin/bash\necho "I love you"\n',
      '/root/projects/tools/v2/bin/echo-hate': '#!/bin/bash\necho "meh"\n',
      '/root/archive/old/readme': 'nothing here\n',
    },
    init: 'chmod +x /root/projects/tools/v2/bin/echo-love /root/projects/tools/v2/bin/echo-hate',
    evaluation: { match: '/root/projects/tools/v2/bin' },
    adaptedFrom: 'data/7: nested folders with an executable echo-love',
  }),
  task('execute-test', 'What does ~/test print?', {
    description: 'what is the output if i execute ~/test?',
    files: { '/root/test': 'echo Awesome-AgentBench\n' },
    init: 'chmod 000 /root/test',
    evaluation: { match: 'Awesome-AgentBench' },
    adaptedFrom: 'dev.json: output of ~/test (run as root here: there are no other users)',
  }),
  task('count-users', 'Count the users of the system', {
    description: 'Find out count of users.',
    files: { '/etc/passwd': PASSWD, '/etc/group': GROUP },
    evaluation: { compare: 'integer', example: 'getent passwd | wc -l' },
    adaptedFrom: 'dev.json: count of users (from the bundled /etc/passwd)',
  }),
  task('groups-over-50', 'Count groups with an id above 50', {
    description: 'Find out how many groups with an index greater than 50.',
    files: { '/etc/passwd': PASSWD, '/etc/group': GROUP },
    evaluation: { compare: 'integer', example: "getent group | awk -F: '$3 > 50 {count++} END {print count}'" },
    adaptedFrom: 'dev.json: groups with an index greater than 50',
  }),
  task('error-lines', 'Count ERROR lines in the app log', {
    description: 'How many lines in /var/log/app.log are at the ERROR level?',
    files: { '/var/log/app.log': appLog() },
    evaluation: { compare: 'integer', example: "grep -c ' ERROR ' /var/log/app.log" },
  }),
  task('unique-ips', 'Count distinct client IPs in the access log', {
    description: 'How many distinct IP addresses made requests in /var/log/access.log?',
    files: { '/var/log/access.log': accessLog() },
    evaluation: { compare: 'integer', example: "awk '{print $1}' /var/log/access.log | sort -u | wc -l" },
  }),
  task('sum-numbers', 'Sum the numbers in a file', {
    description: 'What is the sum of the numbers in /root/numbers.txt? There is one number per line.',
    files: { '/root/numbers.txt': numbers() },
    evaluation: { compare: 'integer', example: "awk '{ s += $1 } END { print s }' /root/numbers.txt" },
  }),
  task('largest-file', 'Name the largest file in /data', {
    description: 'Which file in /data is the largest? Tell me its name only (without its directory).',
    files: {
      '/data/a.csv': 'x,y\n1,2\n',
      '/data/report.txt': 'quarterly numbers\n'.repeat(40),
      '/data/notes.md': '# notes\n'.repeat(30),
      '/data/img.b64': 'QUJD'.repeat(120),
    },
    evaluation: { match: 'report.txt' },
  }),
  task('create-file', 'Create a file with given content', {
    description: 'Create a file /root/hello.txt whose only line is: Hello, AgentBench',
    files: { '/root/README': 'Scratch space.\n', '/root/hello.bak': 'Hello, World\n' },
    evaluation: { check: '[ "$(cat /root/hello.txt)" = "Hello, AgentBench" ] && [ "$(wc -l < /root/hello.txt)" -eq 1 ]' },
  }),
  task('rename-txt', 'Rename .txt notes to .md', {
    description: 'Rename every .txt file in /root/notes so that its extension is .md instead (keep the rest of each name and the contents).',
    files: { '/root/notes/todo.txt': 'buy milk\n', '/root/notes/ideas.txt': 'a shell in the browser\n', '/root/notes/keep.cfg': 'x=1\n' },
    evaluation: {
      check:
        '[ -z "$(find /root/notes -name \'*.txt\')" ] && [ "$(cat /root/notes/todo.md)" = "buy milk" ] && [ "$(cat /root/notes/ideas.md)" = "a shell in the browser" ] && [ -f /root/notes/keep.cfg ]',
    },
  }),
  task('greet-script', 'Write a greeting script', {
    description: 'Write a script /root/greet.sh so that running `bash /root/greet.sh NAME` prints `hello NAME`.',
    files: { '/root/bye.sh': '#!/bin/bash\necho "bye $1"\n' },
    evaluation: { check: '[ "$(bash /root/greet.sh Zed)" = "hello Zed" ] && [ "$(bash /root/greet.sh Ann)" = "hello Ann" ]' },
  }),
];
