import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mounted } from '../../../../controller/modules/system/fstab.js';
import { mount, parseMount, planMount, probeMount, type MountState } from '../../../../controller/modules/system/mount.js';
import { argsFor, dash, fakeContext, outcome } from './fake.js';

const F = '/etc/fstab';
const WRITE = `set -e; f=${F}; t="$f.muster-tmp"\nif [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"; chmod 0644 "$t"; fi\ncat > "$t"; mv -f "$t" "$f"`;
const LINE = 'tmpfs /srv/scratch tmpfs size=64m 0 0\n';
const st = (fstab: string | undefined, mounts: Record<string, Mounted> = {}, exists = true): MountState => ({
  fstab,
  mounts: new Map(Object.entries(mounts)),
  exists,
  stamp: '9.2026-01-01@00:00:00',
});
const tm = (opts = 'rw,relatime'): Record<string, Mounted> => ({ '/srv/scratch': { src: 'tmpfs', fstype: 'tmpfs', opts, superOpts: 'rw,size=65536k' } });
const scratch = { path: '/srv/scratch', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=64m' };
const MOUNT_RESTORE = 'if ! err=$(mount /srv/scratch 2>&1); then cat > /etc/fstab; printf \'%s\\n\' "$err" >&2; exit 1; fi';

const table: [string, Record<string, unknown>, MountState, string | string[]][] = [
  ['present, new', { ...scratch, state: 'present' }, st(''), [WRITE]],
  ['present, same', { ...scratch, state: 'present' }, st(LINE), `noop: /srv/scratch is already in ${F} as asked`],
  ['present, no fstab', { ...scratch, state: 'present' }, st(undefined), ['mkdir -p "$(dirname /etc/fstab)"', WRITE]],
  ['present, boot false adds noauto', { ...scratch, state: 'present', boot: false }, st(LINE), [WRITE]],
  ['present, needs src and fstype', { path: '/x', state: 'present' }, st(''), 'fail: state is present but all of the following are missing: src, fstype'],
  ['absent_from_fstab', { path: '/srv/scratch', state: 'absent_from_fstab' }, st(LINE, tm()), [WRITE]],
  [
    'absent: out of fstab, unmounted, directory removed',
    { path: '/srv/scratch', state: 'absent' },
    st(LINE, tm()),
    [WRITE, 'umount /srv/scratch', 'rmdir /srv/scratch'],
  ],
  ['absent, not in fstab', { path: '/srv/scratch', state: 'absent' }, st('', tm()), `noop: /srv/scratch is not in ${F}`],
  ['unmounted', { path: '/srv/scratch', state: 'unmounted' }, st(LINE, tm()), ['umount /srv/scratch']],
  ['unmounted, not mounted', { path: '/srv/scratch', state: 'unmounted' }, st(LINE), 'noop: /srv/scratch is not mounted'],
  ['mounted, all there', { ...scratch, state: 'mounted' }, st(LINE, tm()), `noop: /srv/scratch is mounted and in ${F} as asked`],
  ['mounted, in fstab, not mounted', { ...scratch, state: 'mounted' }, st(LINE), ['mount /srv/scratch']],
  [
    'mounted, new: mkdir, fstab, mount (fstab put back on failure)',
    { ...scratch, state: 'mounted' },
    st('', {}, false),
    ['mkdir -p /srv/scratch', WRITE, MOUNT_RESTORE],
  ],
  [
    'mounted, fstab changed while mounted: remount',
    { ...scratch, state: 'mounted', opts: 'size=128m' },
    st(LINE, tm()),
    [WRITE, 'mount -o remount,size=128m /srv/scratch || { umount /srv/scratch && mount /srv/scratch; }'],
  ],
  ['mounted, other fstab file', { ...scratch, state: 'mounted', fstab: '/etc/fstab.d/x' }, st(LINE), ['mount -T /etc/fstab.d/x /srv/scratch']],
  [
    'remounted',
    { path: '/srv/scratch', state: 'remounted' },
    st(LINE, tm()),
    ['mount -o remount /srv/scratch || { umount /srv/scratch && mount /srv/scratch; }'],
  ],
  [
    'remounted with opts: no fallback',
    { path: '/srv/scratch', state: 'remounted', opts: 'ro' },
    st(LINE, tm()),
    ['mount -o remount,ro /srv/scratch || { false; }'],
  ],
  ['ephemeral, not mounted', { ...scratch, state: 'ephemeral' }, st(''), ['mount -t tmpfs -o size=64m tmpfs /srv/scratch']],
  [
    'ephemeral, mounted with the options',
    { ...scratch, opts: 'relatime', state: 'ephemeral' },
    st('', tm()),
    'noop: /srv/scratch is already mounted from tmpfs with relatime',
  ],
  ['ephemeral, mounted with that size', { ...scratch, state: 'ephemeral' }, st('', tm()), 'noop: /srv/scratch is already mounted from tmpfs with size=64m'],
  [
    'ephemeral, mounted with another size: remount',
    { ...scratch, opts: 'size=128m', state: 'ephemeral' },
    st('', tm()),
    ['mount -o remount,size=128m -t tmpfs -o size=128m tmpfs /srv/scratch || { umount /srv/scratch && mount -t tmpfs -o size=128m tmpfs /srv/scratch; }'],
  ],
  [
    'ephemeral, other source',
    { ...scratch, src: '/dev/vdb', state: 'ephemeral' },
    st('', tm()),
    'fail: Ephemeral mount point is already mounted with a different source (tmpfs) than the specified one: unmount it first (state: unmounted), or use another path.',
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planMount(argsFor(mount, given), s)), want));
}

t.test('the fstab write carries the edited text, a diff and the returned fields', async (t) => {
  const p = planMount(argsFor(mount, { ...scratch, state: 'present', boot: false, backup: true }), st('# x\n'));
  if (p.kind !== 'change') return t.fail('expected a change');
  t.same(outcome(p), ["cp -p /etc/fstab '/etc/fstab.9.2026-01-01@00:00:00~'", WRITE]);
  const after = '# x\ntmpfs /srv/scratch tmpfs size=64m,noauto 0 0\n';
  t.equal('exec' in p.steps[1] && p.steps[1].stdin, after);
  t.same(p.diff, [{ path: F, before: '# x\n', after }]);
  t.same(p.data, {
    name: '/srv/scratch',
    fstab: F,
    boot: 'no',
    src: 'tmpfs',
    fstype: 'tmpfs',
    opts: 'size=64m,noauto',
    dump: '0',
    passno: '0',
    backup_file: '/etc/fstab.9.2026-01-01@00:00:00~',
  });
});

t.test('for real with dash: fstab entries in a temp file, and the probe of this machine', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-mount-'));
  const fstab = join(dir, 'fstab');
  writeFileSync(fstab, '# test fstab\nUUID=1 / ext4 defaults 0 1\n');
  const ctx = () => fakeContext({ local: { cwd: dir } });
  const args = argsFor(mount, { path: '/srv/my data', src: '/dev/vdb1', fstype: 'ext4', state: 'present', fstab });
  t.equal((await mount.run(args, ctx())).changed, true);
  t.equal(readFileSync(fstab, 'utf8'), '# test fstab\nUUID=1 / ext4 defaults 0 1\n/dev/vdb1 /srv/my\\040data ext4 defaults 0 0\n');
  t.equal((await mount.run(args, ctx())).changed, false, 'second run: noop');
  t.equal((await mount.run({ ...args, state: 'absent_from_fstab' }, ctx())).changed, true);
  t.equal(readFileSync(fstab, 'utf8'), '# test fstab\nUUID=1 / ext4 defaults 0 1\n');
  const s = parseMount(dash(probeMount({ path: '/', state: 'unmounted', fstab: join(dir, 'none') })).stdout);
  t.equal(s.fstab, undefined, 'a missing fstab');
  t.ok(s.mounts.has('/'), 'the mount table has /');
  t.equal(s.exists, true);
});
