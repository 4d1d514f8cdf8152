import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cron, parseCron, planCron, probeCron, type CronState } from '../../../../controller/modules/system/cron.js';
import { argsFor, dash, fakeContext, framed, outcome } from './fake.js';

const st = (text?: string, more: Partial<CronState> = {}): CronState => ({ missing: [], text, stamp: '7.2026-01-01@00:00:00', ...more });
const INSTALL = 'crontab -';
const INSTALL_U = `if [ www = "$(id -un)" ]; then crontab -; else crontab -u www -; fi`;
const FILE = '/etc/cron.d/backup';
const WRITE = `set -e; f=${FILE}; t="$f.muster-tmp"\nif [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"; chmod 0644 "$t"; fi\ncat > "$t"; mv -f "$t" "$f"`;
const job = { name: 'backup', job: '/usr/bin/backup', hour: '2', minute: '0' };
const TAB = '#Ansible: backup\n0 2 * * * /usr/bin/backup\n';

const table: [string, Record<string, unknown>, CronState, string | string[]][] = [
  ['new job', job, st(undefined), [INSTALL]],
  ['same job -> noop', job, st(TAB), 'noop: job "backup" is already in crontab as asked'],
  ['other time -> install', { ...job, hour: '3' }, st(TAB), [INSTALL]],
  ['another user', { ...job, user: 'www' }, st(''), [INSTALL_U]],
  ['unterminated crontab gets its newline', job, st('#Ansible: backup\n0 2 * * * /usr/bin/backup'), [INSTALL]],
  ['absent, there', { name: 'backup', state: 'absent' }, st(TAB), [INSTALL]],
  ['absent, not there', { name: 'backup', state: 'absent' }, st('x\n'), 'noop: job "backup" is not in crontab'],
  ['cron file, new', { ...job, cron_file: 'backup', user: 'root' }, st(undefined), [WRITE]],
  [
    'cron file, same',
    { ...job, cron_file: 'backup', user: 'root' },
    st('#Ansible: backup\n0 2 * * * root /usr/bin/backup\n'),
    `noop: job "backup" is already in ${FILE} as asked`,
  ],
  [
    'cron file emptied -> removed',
    { name: 'backup', cron_file: 'backup', state: 'absent' },
    st('#Ansible: backup\n0 2 * * * root /usr/bin/backup\n'),
    [`rm -f ${FILE}`],
  ],
  ['cron file not emptied -> written', { name: 'backup', cron_file: 'backup', state: 'absent' }, st('A=1\n#Ansible: backup\n0 2 * * * root x\n'), [WRITE]],
  ['env var', { name: 'MAILTO', job: 'ops@example.com', env: true }, st(TAB), [INSTALL]],
  [
    'env var same',
    { name: 'MAILTO', job: 'ops@example.com', env: true },
    st('MAILTO="ops@example.com"\n'),
    'noop: variable MAILTO is already in crontab as asked',
  ],
  ['env insertafter missing', { name: 'A', job: '1', env: true, insertafter: 'B' }, st(''), "fail: Variable named 'B' not found."],
  ['special and time', { ...job, special_time: 'daily' }, st(''), 'fail: You must specify time and date fields or special time.'],
  ['cron file without user', { ...job, cron_file: 'x' }, st(''), 'fail: To use cron_file=... parameter you must specify user=... as well'],
  ['no job', { name: 'x' }, st(''), "fail: You must specify 'job' to install a new cron job or variable"],
  ['insertafter without env', { ...job, insertafter: 'A' }, st(''), 'fail: insertafter and insertbefore are valid only with env=yes'],
  [
    '/etc/crontab',
    { ...job, cron_file: '/etc/crontab', user: 'root' },
    st(''),
    'fail: Will not manage /etc/crontab via cron_file: give a file under /etc/cron.d',
  ],
  ['env name with a space', { name: 'A B', job: '1', env: true }, st(''), 'fail: Invalid name for environment variable: "A B"'],
  ['no crontab tool', job, st('', { missing: ['crontab'] }), 'fail: crontab not found on the host (Debian: the "cron" package)'],
  ['unreadable crontab', job, st(undefined, { error: 'must be privileged' }), 'fail: Unable to read crontab: must be privileged'],
  ['backup', { ...job, backup: true }, st(''), ['umask 077; cat > /tmp/crontab.7.2026-01-01@00:00:00', INSTALL]],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planCron(argsFor(cron, given), s)), want));
}

t.test('the install carries the crontab, a diff, jobs and envs', async (t) => {
  const p = planCron(argsFor(cron, { ...job, disabled: true }), st('MAILTO=""\n'));
  if (p.kind !== 'change') return t.fail('expected a change');
  const after = 'MAILTO=""\n#Ansible: backup\n#0 2 * * * /usr/bin/backup\n';
  t.equal('exec' in p.steps[0] && p.steps[0].stdin, after);
  t.same(p.diff, [{ path: 'crontab', before: 'MAILTO=""\n', after }]);
  t.same(p.data, { jobs: ['backup'], envs: ['MAILTO'] });
});

t.test('parse: "no crontab" is an empty crontab, other errors are kept', async (t) => {
  const empty = parseCron(framed({ tools: '', text: ['no crontab for root\n', 1], stamp: '1.x' }));
  t.same(empty, { missing: [], stamp: '1.x' });
  const bad = parseCron(framed({ tools: '', text: ['must be privileged to use -u\n', 1], stamp: '1.x' }));
  t.equal(bad.error, 'must be privileged to use -u');
  t.equal(parseCron(framed({ tools: 'crontab\n', text: ['', 0], stamp: '' })).missing[0], 'crontab');
  t.equal(parseCron(framed({ text: ['', 3], stamp: '' })).text, undefined, 'a missing cron file is empty');
  t.throws(() => parseCron(framed({ text: ['cat: /etc/cron.d/x: Permission denied\n', 1], stamp: '' })), /cannot read the cron file/);
});

t.test('for real with dash: a cron file made by Ansible is taken over, then emptied away', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-cron-'));
  const file = join(dir, 'backup');
  // as Ansible wrote it
  writeFileSync(file, '#Ansible: backup\n0 2 * * * root /usr/bin/backup\n');
  const ctx = () => fakeContext({ local: { cwd: dir } });
  const args = argsFor(cron, { ...job, cron_file: file, user: 'root' });
  t.equal((await cron.run(args, ctx())).changed, false, 'the same job: noop');
  const moved = await cron.run({ ...args, hour: '4' }, ctx());
  t.equal(moved.changed, true);
  t.equal(readFileSync(file, 'utf8'), '#Ansible: backup\n0 4 * * * root /usr/bin/backup\n');
  const env = await cron.run(argsFor(cron, { name: 'MAILTO', job: '', env: true, cron_file: file, user: 'root' }), ctx());
  t.equal(env.changed, true);
  t.equal(readFileSync(file, 'utf8'), 'MAILTO=""\n#Ansible: backup\n0 4 * * * root /usr/bin/backup\n');
  const gone = argsFor(cron, { name: 'backup', cron_file: file, state: 'absent' });
  t.equal((await cron.run(gone, ctx())).changed, true);
  t.equal(readFileSync(file, 'utf8'), 'MAILTO=""\n', 'a variable is left, the file stays');
  await cron.run(argsFor(cron, { name: 'MAILTO', env: true, cron_file: file, state: 'absent' }), ctx());
  t.notOk(existsSync(file), 'emptied: removed');
  t.equal((await cron.run(gone, ctx())).changed, false, 'absent again: noop');
  const probe = parseCron(dash(probeCron({ name: 'x', cron_file: join(dir, 'none') })).stdout);
  t.equal(probe.text, undefined);
});
