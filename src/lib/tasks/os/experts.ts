/**
 * Expert trajectories for the OS tasks in the format Agent-FLAN was trained on (AgentBench OS:
 * `Think:` then `Act: bash` + a fenced block, `Act: answer(...)` or `Act: finish`). Numeric answers are
 * computed here from the generated files in plain TypeScript, independently of the guest, so a replay
 * checks the Linux guest against a separate oracle.
 */
import { accessLog, appLog, numbers, stockLog } from './files';

const bash = (think: string, script: string) => `Think: ${think}\n\nAct: bash\n\n\`\`\`bash\n${script}\n\`\`\``;
const answer = (think: string, value: string | number) => `Think: ${think}\n\nAct: answer(${value})`;
const finish = (think: string) => `Think: ${think}\n\nAct: finish`;

const lines = (text: string) => text.split('\n').filter(Boolean);
const stockRows = () => lines(stockLog()).map((l) => l.split(' | '));

const bobSold = stockRows().filter(([who, side]) => who === 'Bob' && side === 'Sell').length;
const aliceBought = stockRows()
  .filter(([who, side]) => who === 'Alice' && side === 'Buy')
  .reduce((sum, row) => sum + Number(row[3]), 0);
const errorLines = lines(appLog()).filter((l) => l.split(' ')[2] === 'ERROR').length;
const distinctIps = new Set(lines(accessLog()).map((l) => l.split(' ')[0])).size;
const numberSum = lines(numbers()).reduce((sum, n) => sum + Number(n), 0);

export const osExperts: Record<string, string[]> = {
  'os-hidden-files': [
    bash('To count the hidden files directly in /home, I list the files there whose name starts with a dot, without descending.', "find /home -maxdepth 1 -type f -name '.*' | wc -l"),
    answer('There are 6 hidden files directly in /home.', 6),
  ],
  'os-letter-files': [
    bash('I list /root one name per line and keep the names that start with a letter.', "ls -1 /root | grep '^[[:alpha:]]'"),
    answer('Two names start with a letter: f and tmp.', 2),
  ],
  'os-empty-files': [
    bash('Find can select regular files of size zero recursively.', 'find /home -type f -size 0'),
    answer('Two files are empty.', 2),
  ],
  'os-dirs-recursive': [
    bash('I count every directory under /home, including /home itself, as find reports them.', 'find /home -type d | wc -l'),
    answer('find reports 2 directories.', 2),
  ],
  'os-helloworld': [
    bash('I search the home directory recursively for files named *.helloworld.', "find ~ -type f -name '*.helloworld'"),
    answer('Four files have the extension .helloworld (including the hidden one named exactly .helloworld).', 4),
  ],
  'os-stock-bob-sold': [
    bash('Let me look at the format of the log first.', 'head -n 5 /usr/stock.log'),
    bash('Each line is "name | Buy/Sell | index | count". I count the lines where Bob sells.', "grep -c '^Bob | Sell |' /usr/stock.log"),
    answer(`Bob sold a stock ${bobSold} times.`, bobSold),
  ],
  'os-stock-alice-bought': [
    bash('The last column is the count. I sum it over the lines where Alice buys.', "awk -F' [|] ' '$1 == \"Alice\" && $2 == \"Buy\" { s += $4 } END { print s }' /usr/stock.log"),
    answer(`Alice bought ${aliceBought} stocks in total.`, aliceBought),
  ],
  'os-echo-love': [
    bash('I search the file system (not /proc, /sys or /dev) for a file named echo-love.', 'find / -xdev -name echo-love -type f'),
    answer('The executable is /root/projects/tools/v2/bin/echo-love, so the directory is its parent.', '/root/projects/tools/v2/bin'),
  ],
  'os-execute-test': [
    bash('The file may not be executable; I make it executable and run it.', 'chmod 777 ~/test && ~/test'),
    answer('The script prints Awesome-AgentBench.', 'Awesome-AgentBench'),
  ],
  'os-count-users': [
    bash('Every user has one entry in the passwd database.', 'getent passwd | wc -l'),
    answer('There are 17 users.', 17),
  ],
  'os-groups-over-50': [
    bash('The third field of a group entry is its id; I count the groups whose id is above 50.', "getent group | awk -F: '$3 > 50 {count++} END {print count}'"),
    answer('Eight groups have an id greater than 50.', 8),
  ],
  'os-error-lines': [
    bash('Let me see how the log lines look.', 'head -n 3 /var/log/app.log'),
    bash('The level is the third field; I count the ERROR lines.', "awk '$3 == \"ERROR\"' /var/log/app.log | wc -l"),
    answer(`${errorLines} lines are at the ERROR level.`, errorLines),
  ],
  'os-unique-ips': [
    bash('The client IP is the first field of each line; I count distinct values.', "cut -d' ' -f1 /var/log/access.log | sort | uniq | wc -l"),
    answer(`${distinctIps} distinct IP addresses made requests.`, distinctIps),
  ],
  'os-sum-numbers': [
    bash('awk can add up the single column.', "awk '{ s += $1 } END { print s }' /root/numbers.txt"),
    answer(`The sum is ${numberSum}.`, numberSum),
  ],
  'os-largest-file': [
    bash('I list the files in /data sorted by size, largest first.', 'ls -S /data | head -n 1'),
    answer('report.txt is the largest file.', 'report.txt'),
  ],
  'os-create-file': [
    bash('I write the line into the file and show it.', "echo 'Hello, AgentBench' > /root/hello.txt && cat /root/hello.txt"),
    finish('The file now holds exactly that line.'),
  ],
  'os-rename-txt': [
    bash('I rename each .txt file to the same base name with .md.', 'cd /root/notes && for f in *.txt; do mv "$f" "${f%.txt}.md"; done && ls'),
    finish('All .txt notes are now .md files.'),
  ],
  'os-greet-script': [
    bash('I write the script so it prints hello followed by its first argument, then try it.', "printf '%s\\n' '#!/bin/bash' 'echo \"hello $1\"' > /root/greet.sh && bash /root/greet.sh World"),
    finish('The script prints hello NAME.'),
  ],
};
