import { NodeSSH } from 'node-ssh';
import { readFileSync } from 'node:fs';
const ssh = new NodeSSH();
await ssh.connect({ host: '127.0.0.1', port: 20456, username: 'muster', privateKey: readFileSync('/work/main/.lab/id_ed25519', 'utf8') });
const conn = ssh.connection!;
conn.exec('echo hi', (err, ch) => {
  for (const ev of ['data', 'exit', 'close', 'end', 'finish', 'eof', 'error']) ch.on(ev, (...a: unknown[]) => console.log('ev', ev, a.map(String)));
  ch.end();
});
await new Promise((r) => setTimeout(r, 1000));
ssh.dispose();
