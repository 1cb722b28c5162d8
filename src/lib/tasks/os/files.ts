/** Generated file contents for the OS tasks (seeded, so identical everywhere). */
import { createRng } from '../random';

const TRADERS = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin'];

/** /usr/stock.log: `name | Buy/Sell | stock index | count` per line. */
export function stockLog(): string {
  const rng = createRng(20231);
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) {
    lines.push(`${rng.pick(TRADERS)} | ${rng.pick(['Buy', 'Sell'])} | ${rng.int(1, 40)} | ${rng.int(1, 500)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** /var/log/app.log: timestamped lines at INFO / WARN / ERROR. */
export function appLog(): string {
  const rng = createRng(777);
  const messages = ['request served', 'cache miss', 'disk quota low', 'connection reset', 'job finished', 'retrying upload'];
  const lines: string[] = [];
  for (let i = 0; i < 80; i++) {
    const level = rng.pick(['INFO', 'INFO', 'INFO', 'WARN', 'ERROR']);
    const minute = String(Math.floor(i / 2)).padStart(2, '0');
    lines.push(`2023-10-05 09:${minute}:${String((i % 2) * 30).padStart(2, '0')} ${level} ${rng.pick(messages)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** /var/log/access.log: common-log-format lines from a handful of clients. */
export function accessLog(): string {
  const rng = createRng(4242);
  const ips = ['10.0.0.4', '10.0.0.7', '192.168.1.20', '192.168.1.33', '172.16.5.9', '10.0.0.12', '203.0.113.8'];
  const paths = ['/', '/index.html', '/api/items', '/login', '/static/app.js'];
  const lines: string[] = [];
  for (let i = 0; i < 50; i++) {
    const status = rng.pick([200, 200, 200, 304, 404, 500]);
    lines.push(`${rng.pick(ips)} - - [05/Oct/2023:10:${String(i).padStart(2, '0')}:00 +0000] "GET ${rng.pick(paths)} HTTP/1.1" ${status} ${rng.int(100, 9000)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function numbers(): string {
  const rng = createRng(99);
  return `${Array.from({ length: 25 }, () => rng.int(-50, 300)).join('\n')}\n`;
}

export const PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
systemd-network:x:100:102:systemd Network Management:/run/systemd:/usr/sbin/nologin
messagebus:x:101:103::/nonexistent:/usr/sbin/nologin
user1:x:1000:1000::/home/user1:/bin/bash
user2:x:1001:1001::/home/user2:/bin/zsh
`;

export const GROUP = `root:x:0:user1,user2
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
sudo:x:27:user1
audio:x:29:
www-data:x:33:
backup:x:34:
operator:x:37:
staff:x:50:
games:x:60:
users:x:100:
systemd-journal:x:101:
systemd-network:x:102:
messagebus:x:103:
nogroup:x:65534:
user1:x:1000:
user2:x:1001:
`;
