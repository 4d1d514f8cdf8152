// The pi role's edit of the kernel command line: the task's own shell text, rendered as muster renders it,
// run with /bin/sh on temp files (a table of lines in, lines out).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import YAML from 'yaml';
import { renderText } from '../../../../controller/template/index.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const tasks = YAML.parse(readFileSync(join(ROOT, 'playbooks/roles/pi/tasks/main.yml'), 'utf8')) as { name: string; shell?: string }[];
const task = tasks.find((x) => x.name === 'Memory cgroup on the kernel command line');
const tmp = mkdtempSync(join(tmpdir(), 'muster-pi-cmdline-'));
let n = 0;

/** Runs the edit on a file holding `content`; its stdout, exit code and the file afterwards. */
function edit(content: string, check = false): { rc: number | null; out: string; err: string; after: string } {
  const f = join(tmp, `cmdline ${n++}.txt`); // a space in the path: the quoting is exercised too
  writeFileSync(f, content);
  const script = renderText(task!.shell!, { pi_cmdline: { stdout: f }, ansible_check_mode: check }, { host: 'pi1', task: task!.name });
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
  return { rc: r.status, out: r.stdout, err: r.stderr, after: readFileSync(f, 'utf8') };
}

const END = 'cgroup_enable=memory cgroup_memory=1';
const table: [string, string, string | undefined][] = [
  // [why, file before, file after (undefined: untouched, reported unchanged)]
  [
    'Raspberry Pi OS default line',
    'console=serial0,115200 console=tty1 root=PARTUUID=1-02 rootfstype=ext4 fsck.repair=yes rootwait\n',
    `console=serial0,115200 console=tty1 root=PARTUUID=1-02 rootfstype=ext4 fsck.repair=yes rootwait ${END}\n`,
  ],
  ['cgroup_disable=memory goes, wherever it is, however often', 'cgroup_disable=memory a=1 cgroup_disable=memory b quiet\n', `a=1 b quiet ${END}\n`],
  ['both present once, no disable: untouched wherever they are', `cgroup_memory=1 a cgroup_enable=memory  b\n`, undefined],
  ['both present once at the end: untouched', `a b ${END}\n`, undefined],
  ['already edited but a disable came back: edited', `a ${END} cgroup_disable=memory\n`, `a ${END}\n`],
  ['present twice: once', `a cgroup_enable=memory ${END}\n`, `a ${END}\n`],
  ['only one of the two: both, at the end', 'a cgroup_enable=memory b\n', `a b ${END}\n`],
  ['no trailing newline: one line with one', 'a b', `a b ${END}\n`],
  [
    'similar words are other parameters',
    'cgroup_enable=cpuset cgroup_memory=0 cgroup_disable=memoryx\n',
    `cgroup_enable=cpuset cgroup_memory=0 cgroup_disable=memoryx ${END}\n`,
  ],
  ['a word that looks like a glob stays as it is', 'a=* b\n', `a=* b ${END}\n`],
  ['empty file', '', `${END}\n`],
  ['trailing blank lines are no second line', 'a\n\n  \n', `a ${END}\n`],
];

for (const [why, before, after] of table) {
  t.test(why, async (t) => {
    const r = edit(before);
    t.equal(r.rc, 0, r.err);
    t.equal(r.after, after ?? before);
    t.equal(r.out, after === undefined ? '' : 'changed\n', 'changed exactly when the file changed');
    if (after !== undefined) {
      const again = edit(r.after);
      t.equal(again.out, '', 'a second edit finds nothing to do');
      t.equal(again.after, r.after);
    }
  });
}

t.test('--check says whether the line would change, and changes nothing', async (t) => {
  const would = edit('a cgroup_disable=memory\n', true);
  t.same([would.rc, would.out, would.after], [0, 'changed\n', 'a cgroup_disable=memory\n']);
  const wouldNot = edit(`a ${END}\n`, true);
  t.same([wouldNot.rc, wouldNot.out, wouldNot.after], [0, '', `a ${END}\n`]);
});

t.test('a second line with text is refused, the file untouched', async (t) => {
  const r = edit('a b\nc d\n');
  t.equal(r.rc, 1);
  t.match(r.err, /has more than one line; the firmware reads only the first/);
  t.equal(r.after, 'a b\nc d\n');
});

t.test('the edit leaves no temp file behind', async (t) => {
  edit('x\n');
  t.same(
    execFileSync('ls', ['-A', tmp], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.includes('muster-new')),
    [],
  );
});
