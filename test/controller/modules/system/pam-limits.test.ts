import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pamLimits, parseLimits, planLimits, probeLimits, type LimitsState } from '../../../../controller/modules/system/pam-limits.js';
import { argsFor, dash, fakeContext, outcome } from './fake.js';

const F = '/etc/security/limits.conf';
const WRITE = `set -e; f=${F}; t="$f.muster-tmp"\nif [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"; chmod 0644 "$t"; fi\ncat > "$t"; mv -f "$t" "$f"`;
const st = (file?: string, dir = true): LimitsState => ({ file, dir, stamp: '42.2026-01-01@00:00:00' });
const base = { domain: 'joe', limit_type: 'soft', limit_item: 'nofile', value: '64000' };

const table: [string, Record<string, unknown>, LimitsState, string | string[] | RegExp][] = [
  ['already set -> noop', base, st('joe soft nofile 64000\n'), `noop: joe soft nofile is already 64000 in ${F}`],
  ['different -> write', base, st('joe soft nofile 1024\n'), [WRITE]],
  ['missing file, directory there -> write', base, st(undefined), [WRITE]],
  ['missing directory -> fail', base, st(undefined, false), 'fail: directory /etc/security does not exist: create it first, or give another dest'],
  ['use_max, file higher -> noop', { ...base, use_max: true }, st('joe soft nofile 100000\n'), `noop: joe soft nofile is already 100000 in ${F}`],
  ['use_min, file lower -> noop', { ...base, use_min: true }, st('joe soft nofile 10\n'), `noop: joe soft nofile is already 10 in ${F}`],
  ['use_max and use_min -> fail', { ...base, use_max: true, use_min: true }, st(''), 'fail: use_max and use_min are mutually exclusive: give one of them'],
  ['bad value -> fail', { ...base, value: 'many' }, st(''), /^fail: value must be a number/],
  ['backup first', { ...base, backup: true }, st('joe soft nofile 1\n'), [`cp -p ${F} '${F}.42.2026-01-01@00:00:00~'`, WRITE]],
  ['backup of a missing file: none', { ...base, backup: true }, st(undefined), [WRITE]],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => {
    const got = outcome(planLimits(argsFor(pamLimits, given), s));
    if (want instanceof RegExp) t.match(got, want);
    else t.same(got, want);
  });
}

t.test('the write carries the edited text, a diff and the backup name', async (t) => {
  const p = planLimits(argsFor(pamLimits, { ...base, backup: true }), st('# x\njoe soft nofile 1\n'));
  if (p.kind !== 'change') return t.fail('expected a change');
  const write = p.steps[1];
  t.equal('exec' in write && write.stdin, '# x\njoe\tsoft\tnofile\t64000\n');
  t.same(p.diff, [{ path: F, before: '# x\njoe soft nofile 1\n', after: '# x\njoe\tsoft\tnofile\t64000\n' }]);
  t.same(p.data, { dest: F, backup_file: `${F}.42.2026-01-01@00:00:00~` });
});

t.test('for real with dash: create, edit, backup, then noop', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-limits-'));
  const dest = join(dir, 'limits.conf');
  const ctx = () => fakeContext({ local: { cwd: dir } });
  const args = argsFor(pamLimits, { ...base, dest });
  const first = await pamLimits.run(args, ctx());
  t.equal(first.changed, true);
  t.equal(readFileSync(dest, 'utf8'), 'joe\tsoft\tnofile\t64000\n');
  t.equal((await pamLimits.run(args, ctx())).changed, false, 'second run: noop');
  writeFileSync(dest, '# mine\njoe soft nofile 10\n');
  const edited = await pamLimits.run({ ...args, backup: true }, ctx());
  t.equal(edited.changed, true);
  t.equal(readFileSync(dest, 'utf8'), '# mine\njoe\tsoft\tnofile\t64000\n');
  t.ok(existsSync(String(edited.data?.backup_file)), 'the backup exists');
  t.equal(readFileSync(String(edited.data?.backup_file), 'utf8'), '# mine\njoe soft nofile 10\n');
  const none = parseLimits(dash(probeLimits({ dest: join(dir, 'nodir', 'x.conf') })).stdout);
  t.same([none.file, none.dir], [undefined, false], 'a missing file and directory are told apart');
  t.match(none.stamp, /^\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
});
