import { openTransport } from '../../../controller/transport/open.js';
import { sh } from '../../../controller/command.js';
const vars = { ansible_host: '127.0.0.1', ansible_port: 20456, ansible_user: 'muster', ansible_ssh_private_key_file: '/work/main/.lab/id_ed25519' };
const t = openTransport('h01', vars, { knownHostsFiles: ['/work/main/.lab/transport-dev/known_hosts'], musterKnownHosts: '/tmp/smk/x', acceptNewHostKeys: false, connectTimeoutMs: 5000 });
let s = Date.now();
console.log(await t.exec(sh`echo started; sleep 31; echo after`, { timeoutMs: 1000, become: { user: 'root' } }), Date.now() - s);
await new Promise((r) => setTimeout(r, 500));
console.log(await t.exec(sh`ps -eo pid,pgid,sid,user,cmd | grep -v grep | grep -E "sleep|sudo"`));
await t.close();
