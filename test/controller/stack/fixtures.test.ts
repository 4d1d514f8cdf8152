/** The stack fixtures: each bad one fails with the code, position and message its first line names; good ones load. */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStack } from '../../../controller/stack/load.js';
import { errorOf, where } from './harness.js';

const DIR = 'test/fixtures/stacks';

for (const name of readdirSync(join(DIR, 'bad')).filter((f) => f.endsWith('.yml'))) {
  const file = join(DIR, 'bad', name);
  const m = /^# expect: (E_[A-Z]+) (\d+:\d+) (.*?)( \[strict\])?$/m.exec(readFileSync(file, 'utf8').split('\n')[0]);
  t.test(`bad/${name}`, async (t) => {
    if (!t.ok(m, 'the first line says what to expect') || !m) return;
    const [, code, pos, message, strict] = m;
    const e = errorOf(() => loadStack(file, { env: {}, strict: strict !== undefined }));
    t.equal(e.code, code);
    t.equal(where(e), `${file}:${pos}`);
    t.ok(e.message.includes(message), `"${e.message}" says "${message}"`);
    t.ok(e.hint, 'with a hint');
  });
}

for (const name of readdirSync(join(DIR, 'good')).filter((f) => f.endsWith('.yml'))) {
  const file = join(DIR, 'good', name);
  const m = /^# expect: ok (\d+) warnings?$/.exec(readFileSync(file, 'utf8').split('\n')[0]);
  t.test(`good/${name}`, async (t) => {
    if (!t.ok(m, 'the first line says what to expect') || !m) return;
    const s = loadStack(file, { env: {} });
    t.equal(s.warnings.length, Number(m[1]), s.warnings.map((w) => w.message).join('; '));
  });
}

t.test('the compose-yaml fixture reads as Compose reads it', async (t) => {
  const s = loadStack(join(DIR, 'good', 'compose-yaml.yml'), { env: {} });
  const ssh = s.services[0];
  t.same(
    ssh.ports.map((p) => `${p.published}:${p.target}/${p.protocol}`),
    ['22:22/tcp', '2222:22/udp'],
  );
  t.equal(ssh.env.SUDO_ACCESS, 'yes');
  t.equal(ssh.restart, 'unless-stopped', 'from the merge key');
  t.equal(s.name, 'good', 'the directory name');
});
