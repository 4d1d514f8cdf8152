import { openTransport } from '../../../controller/transport/open.js';
import { sh } from '../../../controller/command.js';
const vars = { ansible_host: '127.0.0.1', ansible_port: 20456, ansible_user: 'muster', ansible_ssh_private_key_file: '/work/main/.lab/id_ed25519' };
const t = openTransport('h01', vars, { knownHostsFiles: ['/work/main/.lab/transport-dev/known_hosts'], musterKnownHosts: '/tmp/smk/x', acceptNewHostKeys: false, connectTimeoutMs: 5000 });
let s = Date.now();
await t.connect(); console.log('connect', Date.now() - s);
for (let i = 0; i < 3; i++) { s = Date.now(); await t.exec(sh`true`); console.log('exec', Date.now() - s); }
s = Date.now();
console.log(await t.exec(sh`echo started; sleep 30`, { timeoutMs: 1500 }), Date.now() - s);
s = Date.now();
console.log(await t.exec(sh`ps -ef | grep -v grep | grep sleep`), Date.now() - s);
await t.close();
