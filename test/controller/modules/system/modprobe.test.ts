import t from 'tap';
import { readdirSync } from 'node:fs';
import { modprobe, parseModprobe, planModprobe, probeModprobe, type ModprobeState } from '../../../../controller/modules/system/modprobe.js';
import { argsFor, dash, framed, outcome } from './fake.js';

const st = (loaded: boolean, load: Record<string, string> = {}, options: Record<string, string> = {}): ModprobeState => ({
  missing: [],
  loaded,
  loadFiles: new Map(Object.entries(load)),
  optionFiles: new Map(Object.entries(options)),
});
const write = (f: string) =>
  `mkdir -p ${f.slice(0, f.lastIndexOf('/'))}\nset -e; f=${f}; t="$f.muster-tmp"\nif [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"; chmod 0644 "$t"; fi\ncat > "$t"; mv -f "$t" "$f"`;
const LOAD = '/etc/modules-load.d/dummy.conf';
const OPTS = '/etc/modprobe.d/dummy.conf';

const table: [string, Record<string, unknown>, ModprobeState, string | string[]][] = [
  ['loaded -> noop', { name: 'dummy' }, st(true), 'noop: module dummy is loaded'],
  ['not loaded -> modprobe', { name: 'dummy', params: 'numdummies=2' }, st(false), ['modprobe dummy numdummies=2']],
  ['absent, loaded -> modprobe -r', { name: 'dummy', state: 'absent' }, st(true), ['modprobe -r dummy']],
  ['absent, not loaded -> noop', { name: 'dummy', state: 'absent' }, st(false), 'noop: module dummy is not loaded'],
  ['persistent present, nothing yet', { name: 'dummy', params: 'numdummies=2', persistent: 'present' }, st(true), [write(LOAD), write(OPTS)]],
  [
    'persistent present, already (other files, - vs _)',
    { name: 'br-netfilter', persistent: 'present' },
    st(true, { '/etc/modules-load.d/k8s.conf': 'overlay\nbr_netfilter\n' }),
    'noop: module br-netfilter is loaded; loaded at boot as asked',
  ],
  [
    'persistent present, params already there',
    { name: 'dummy', params: 'numdummies=2', persistent: 'present' },
    st(true, { [LOAD]: 'dummy\n' }, { '/etc/modprobe.d/x.conf': 'options dummy  numdummies=2\n' }),
    'noop: module dummy is loaded; loaded at boot as asked',
  ],
  [
    'persistent absent comments out',
    { name: 'dummy', state: 'absent', persistent: 'absent' },
    st(false, { [LOAD]: 'dummy\n', '/etc/modules-load.d/other.conf': 'loop\n' }, { [OPTS]: 'options dummy numdummies=2\n' }),
    [write(LOAD), write(OPTS)],
  ],
  [
    'persistent absent, already commented',
    { name: 'dummy', state: 'absent', persistent: 'absent' },
    st(false, { [LOAD]: '#dummy\n' }),
    'noop: module dummy is not loaded; not loaded at boot as asked',
  ],
  ['no modprobe tool', { name: 'dummy' }, { ...st(false), missing: ['modprobe'] }, 'fail: modprobe not found on the host (Debian: the "kmod" package)'],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planModprobe(argsFor(modprobe, given), s)), want));
}

t.test('persistence edits: the files and their diffs', async (t) => {
  const p = planModprobe(
    argsFor(modprobe, { name: 'dummy', params: 'numdummies=4', persistent: 'present' }),
    st(true, { [LOAD]: '# off\n#dummy\n' }, { [OPTS]: 'options dummy numdummies=2\n' }),
  );
  if (p.kind !== 'change') return t.fail('expected a change');
  t.same(p.diff, [
    { path: LOAD, before: '# off\n#dummy\n', after: '# off\ndummy\n' },
    { path: OPTS, before: 'options dummy numdummies=2\n', after: 'options dummy numdummies=4\n' },
  ]);
  const off = planModprobe(
    argsFor(modprobe, { name: 'dummy', persistent: 'absent' }),
    st(true, { [LOAD]: 'dummy\n' }, { [OPTS]: 'options dummy numdummies=2\n' }),
  );
  if (off.kind !== 'change') return t.fail('expected a change');
  t.same(
    off.diff?.map((d) => d.after),
    ['#dummy\n', '#options dummy numdummies=2\n'],
  );
});

t.test('parse: the conf directories back into files', async (t) => {
  const s = parseModprobe(
    framed({
      tools: '',
      loaded: 'yes\n',
      load: '/etc/modules-load.d/a.conf:loop\n/etc/modules-load.d/a.conf:# x\n/etc/modules-load.d/b.conf:dummy\n',
      options: '',
    }),
  );
  t.equal(s.loaded, true);
  t.same(
    [...s.loadFiles],
    [
      ['/etc/modules-load.d/a.conf', 'loop\n# x\n'],
      ['/etc/modules-load.d/b.conf', 'dummy\n'],
    ],
  );
  t.same([...s.optionFiles], []);
});

t.test('for real with dash: a module the kernel has is seen as loaded, a made-up one is not', async (t) => {
  let builtin: string | undefined;
  try {
    builtin = readdirSync('/sys/module')[0];
  } catch {}
  if (builtin === undefined) return t.pass('no /sys/module here: nothing to read');
  t.equal(parseModprobe(dash(probeModprobe({ name: builtin, persistent: 'disabled' })).stdout).loaded, true, builtin);
  const none = parseModprobe(dash(probeModprobe({ name: 'muster-no-such-module', persistent: 'present' })).stdout);
  t.equal(none.loaded, false);
});
