import t from 'tap';
import {
  compareScript,
  compressionFlag,
  decideStart,
  parseCompare,
  parseStart,
  planExtract,
  relevantDiffs,
  remoteSrc,
  stripCount,
  unarchive,
  tarCall,
  unarchiveProbe,
} from '../../../../controller/modules/files/unarchive.js';
import type { Args } from '../../../../controller/modules/types.js';
import { out, st, summary } from './helpers.js';

const base = { src: 'app.tar.gz', dest: '/opt/app', remote_src: false, extra_opts: [], exclude: [], list_files: false };

t.test('compressionFlag', async (t) => {
  const cases: [string, unknown][] = [
    ['a.tar.gz', '-z'],
    ['a.TGZ', '-z'],
    ['a.tar.bz2', '-j'],
    ['a.tar.xz', '-J'],
    ['a.tar.zst', '--zstd'],
    ['a.tar', undefined],
    ['a.zip', { error: 'a.zip: only tar archives are supported (no unzip handler)' }],
  ];
  for (const [name, want] of cases) t.same(compressionFlag(name), want, name);
});

t.test('decideStart', async (t) => {
  const dir = [`dest ${st('directory', 0o755)}`, 'tar 1', 'gnutar 1', 'tmpdir /tmp/tmp.x'];
  const cases: [name: string, args: Args, probe: string[], want: string | undefined][] = [
    ['go on', {}, dir, undefined],
    ['creates exists', { creates: '/opt/app/bin' }, ['creates 1', ...dir], 'noop: skipped, since /opt/app/bin exists'],
    ['dest missing', {}, ['dest -', 'tar 1'], "fail: dest '/opt/app' must be an existing dir"],
    ['dest a file', {}, [`dest ${st('file', 0o644)}`, 'tar 1'], "fail: dest '/opt/app' must be an existing dir"],
    ['remote src missing', { remote_src: true }, [...dir, 'src -'], "fail: Source 'app.tar.gz' does not exist"],
    ['copy: no is remote_src', { remote_src: undefined, copy: false }, [...dir, 'src -'], "fail: Source 'app.tar.gz' does not exist"],
    ['copy: yes uploads', { remote_src: undefined, copy: true }, [...dir, 'src -'], undefined],
    ['no tar', {}, [`dest ${st('directory', 0o755)}`], 'fail: unarchive needs tar on the host'],
    ['zip', { src: 'a.zip' }, dir, 'fail: a.zip: only tar archives are supported (no unzip handler)'],
  ];
  for (const [name, args, probe, want] of cases) {
    const d = decideStart({ ...base, ...args }, parseStart(out(probe)));
    t.same(d && summary(d), want, name);
  }
  t.match(unarchiveProbe({ ...base, creates: '/c' }).text, 'if [ ! -e /c ]; then printf \'tmpdir %s\\n\' "$(mktemp -d)"; fi');
  t.notMatch(unarchiveProbe({ ...base, remote_src: true }).text, 'mktemp');
});

t.test('copy is remote_src inverted, and not both', async (t) => {
  const cases: [Args, boolean][] = [
    [{}, false],
    [{ remote_src: true }, true],
    [{ remote_src: false }, false],
    [{ copy: false }, true],
    [{ copy: true }, false],
  ];
  for (const [a, want] of cases) t.equal(remoteSrc(a), want, JSON.stringify(a));
  t.equal(unarchive.validate?.({ copy: false, remote_src: true }), 'parameters are mutually exclusive: copy, remote_src');
  t.equal(unarchive.validate?.({ copy: false }), undefined);
  t.equal(unarchive.validate?.({ remote_src: false }), undefined);
  t.match(unarchiveProbe({ ...base, remote_src: undefined, copy: false }).text, 'src');
  t.notMatch(unarchiveProbe({ ...base, remote_src: undefined, copy: false }).text, 'mktemp');
});

t.test('relevantDiffs ignores what extraction could not have restored', async (t) => {
  const diffs = ['./a: Mod time differs', './a: Uid differs', './a: Mode differs', 'tar: : Warning: Cannot stat: No such file or directory'];
  t.same(relevantDiffs(diffs, {}, 0), ['./a: Mod time differs', './a: Uid differs', './a: Mode differs']);
  t.same(relevantDiffs(diffs, {}, 1000), ['./a: Mod time differs'], 'a non-root extraction keeps neither owner nor exact mode');
  t.same(relevantDiffs(diffs, { owner: 'app' }, 0), ['./a: Mod time differs', './a: Mode differs']);
  t.same(relevantDiffs(diffs, { mode: '0644' }, 0), ['./a: Mod time differs', './a: Uid differs']);
  t.equal(stripCount(['-v', '--strip-components=2']), 2);
  t.equal(stripCount([]), 0);
});

t.test('planExtract', async (t) => {
  const start = parseStart(out([`dest ${st('directory', 0o755)}`, 'tar 1', 'gnutar 1']));
  const c = tarCall(base, '/tmp/tmp.x/app.tar.gz');
  const cases: [name: string, args: Args, cmp: string[], want: string[] | string][] = [
    ['same: noop', {}, ['entry ./', 'entry ./a'], 'noop: archive already extracted'],
    ['differs: extract', {}, ['entry ./a', 'diff ./a: Contents differ'], ['tar -x -f /tmp/tmp.x/app.tar.gz -z -C /opt/app']],
    [
      'differs with owner: extract then chown members',
      { owner: 'app' },
      ['entry ./a', 'diff ./a: Size differs'],
      [
        'tar -x -f /tmp/tmp.x/app.tar.gz -z -C /opt/app',
        'tar -t -f /tmp/tmp.x/app.tar.gz -z | while IFS= read -r f; do n=0; while [ "$n" -gt 0 ]; do case $f in */*) f=${f#*/};; *) f=;; esac; n=$((n-1)); done; if [ -n "$f" ]; then printf \'%s\\n\' "$f"; fi; done | (cd /opt/app && while IFS= read -r f; do chown -h app "$f" || exit 1; done)',
      ],
    ],
    ['same content, owner differs: chown only', { owner: 'app' }, ['entry ./a', 'attr 81a4|0|0|root|root'], ['x']],
    ['same content and owner: noop', { owner: 'app' }, ['entry ./a', 'attr 81a4|5|5|app|app'], 'noop: archive already extracted'],
    ['unreadable archive', {}, ['bad 1'], 'fail: Failed to find handler for "app.tar.gz": tar cannot read it'],
  ];
  for (const [name, args, cmp, want] of cases) {
    const a = { ...base, ...args };
    const s = summary(planExtract(a, start, parseCompare(out(cmp)), tarCall(a, c.archive)));
    if (Array.isArray(want) && want[0] === 'x') t.match(s[0], /chown -h app "\$f"/, name);
    else t.same(s, want, name);
  }
  t.match(planExtract({ ...base, list_files: true }, start, parseCompare(out(['entry ./', 'entry ./a'])), c), { data: { files: ['./', './a'] } });
});

t.test('compareScript', async (t) => {
  const c = tarCall({ ...base, extra_opts: ['--strip-components=1'], exclude: ['*.md'] }, '/tmp/a.tar.gz');
  const gnu = compareScript(c, true, false).text;
  t.match(gnu, "tar -d -f /tmp/a.tar.gz -z -C /opt/app --strip-components=1 '--exclude=*.md' 2>&1");
  t.match(gnu, 'n=1;');
  const other = compareScript(c, false, true).text;
  t.notMatch(other, 'tar -d');
  t.match(other, "printf 'diff %s: missing\\n'");
  t.match(other, "stat -c 'attr %f|%u|%g|%U|%G'");
});
