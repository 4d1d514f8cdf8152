import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSysctl, planSysctl, probeSysctl, sysctl, type SysctlState } from '../../../../controller/modules/system/sysctl.js';
import { argsFor, dash, fakeContext, outcome } from './fake.js';

const F = '/etc/sysctl.conf';
const WRITE = `set -e; f=${F}; t="$f.muster-tmp"\nif [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"; chmod 0644 "$t"; fi\ncat > "$t"; mv -f "$t" "$f"`;
const st = (file: string, live?: string): SysctlState => ({ missing: [], file, live });

const table: [string, Record<string, unknown>, SysctlState, string | string[]][] = [
  ['already set -> noop', { name: 'vm.swappiness', value: '10' }, st('vm.swappiness = 10\n'), 'noop: vm.swappiness is already 10'],
  ['different -> write and reload', { name: 'vm.swappiness', value: '10' }, st('vm.swappiness=60\n'), [WRITE, `sysctl -p ${F}`]],
  ['missing, no reload', { name: 'vm.swappiness', value: 10, reload: false }, st(''), [WRITE]],
  ['ignoreerrors', { name: 'vm.swappiness', value: '10', ignoreerrors: true }, st(''), [WRITE, `sysctl -e -p ${F}`]],
  [
    'sysctl_set, live differs, file right',
    { name: 'vm.swappiness', value: '10', sysctl_set: true },
    st('vm.swappiness=10\n', '60'),
    ['sysctl -w vm.swappiness=10'],
  ],
  ['sysctl_set, both differ', { name: 'vm.swappiness', value: '10', sysctl_set: true }, st('', '60'), ['sysctl -w vm.swappiness=10', WRITE, `sysctl -p ${F}`]],
  ['sysctl_set, both right', { name: 'vm.swappiness', value: '10', sysctl_set: true }, st('vm.swappiness=10\n', '10'), 'noop: vm.swappiness is already 10'],
  ['boolean value', { name: 'net.ipv4.ip_forward', value: 'yes' }, st('net.ipv4.ip_forward=1\n'), 'noop: net.ipv4.ip_forward is already 1'],
  ['absent, present in file', { name: 'vm.swappiness', state: 'absent' }, st('vm.swappiness=60\n'), [WRITE, `sysctl -p ${F}`]],
  ['absent, not in file', { name: 'vm.swappiness', state: 'absent' }, st('a=1\n'), `noop: vm.swappiness is not set in ${F}`],
  ['no value', { name: 'vm.swappiness' }, st(''), 'fail: value is required when state is present'],
  [
    'no sysctl tool',
    { name: 'vm.swappiness', value: '1' },
    { missing: ['sysctl'], file: '' },
    'fail: sysctl not found on the host (Debian: the "procps" package)',
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planSysctl(argsFor(sysctl, given), s)), want));
}

t.test('the file write carries the edited text and a diff', async (t) => {
  const p = planSysctl(argsFor(sysctl, { name: 'vm.swappiness', value: '10' }), st('# keep\nvm.swappiness = 60\n'));
  if (p.kind !== 'change') return t.fail('expected a change');
  const write = p.steps[0];
  t.equal('exec' in write && write.stdin, '# keep\nvm.swappiness=10\n');
  t.same(p.diff?.[0].after, '# keep\nvm.swappiness=10\n');
  t.same(p.data, { name: 'vm.swappiness', value: '10', state: 'present', sysctl_file: F });
});

t.test('probe and file edit for real with dash (no reload)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-sysctl-'));
  const file = join(dir, '99-test.conf');
  writeFileSync(file, '# mine\nvm.swappiness = 60\n');
  const live = parseSysctl(dash(probeSysctl({ name: 'kernel.ostype', sysctl_file: file, sysctl_set: true })).stdout);
  if (live.missing.length === 0) t.equal(live.live, 'Linux', 'reads the running value');
  t.equal(live.file, '# mine\nvm.swappiness = 60\n');
  const args = argsFor(sysctl, { name: 'vm.swappiness', value: '10', sysctl_file: file, reload: false });
  const r = await sysctl.run(args, fakeContext({ local: { cwd: dir } }));
  t.equal(r.changed, true);
  t.equal(readFileSync(file, 'utf8'), '# mine\nvm.swappiness=10\n');
  const again = await sysctl.run(args, fakeContext({ local: { cwd: dir } }));
  t.equal(again.changed, false);
  const missing = parseSysctl(dash(probeSysctl({ name: 'x', sysctl_file: join(dir, 'none') })).stdout);
  t.equal(missing.file, '', 'a missing file reads as empty');
});
