import t from 'tap';
import {
  escapeFstab,
  findEntry,
  hasOptions,
  fstabLine,
  parseMountinfo,
  removeEntry,
  setEntry,
  unescapeOctal,
} from '../../../../controller/modules/system/fstab.js';

const data = { src: '/dev/vdb1', path: '/srv/data', fstype: 'ext4', opts: 'defaults', dump: '0', passno: '2' };

t.test('escapes what a field cannot hold, and back', async (t) => {
  t.equal(escapeFstab('/mnt/my disk&co\\x'), '/mnt/my\\040disk\\046co\\134x');
  t.equal(unescapeOctal('/mnt/my\\040disk'), '/mnt/my disk');
  t.equal(fstabLine({ ...data, path: '/mnt/a b' }), '/dev/vdb1 /mnt/a\\040b ext4 defaults 0 2');
});

t.test('setEntry appends, rewrites a different entry, keeps the rest and a right entry byte for byte', async (t) => {
  const text = '# static\nUUID=1 / ext4 errors=remount-ro 0 1\n\n/dev/vdb1\t/srv/data\text4\tdefaults\t0\t2\n';
  t.equal(setEntry(text, data), text, 'same fields, other spacing: kept');
  t.equal(setEntry(text, { ...data, opts: 'noatime' }), '# static\nUUID=1 / ext4 errors=remount-ro 0 1\n\n/dev/vdb1 /srv/data ext4 noatime 0 2\n');
  t.equal(setEntry('UUID=1 / ext4 defaults 0 1', data), 'UUID=1 / ext4 defaults 0 1\n/dev/vdb1 /srv/data ext4 defaults 0 2\n');
  t.equal(setEntry('/dev/vdb1 /srv/data ext4 defaults\n', { ...data, passno: '0' }), '/dev/vdb1 /srv/data ext4 defaults\n', 'dump and passno default to 0');
  t.equal(setEntry('', data), '/dev/vdb1 /srv/data ext4 defaults 0 2\n');
});

t.test('swap entries are told apart by their source', async (t) => {
  const text = '/dev/sda2 none swap sw 0 0\n';
  const swap = { src: '/dev/sdb2', path: 'none', fstype: 'swap', opts: 'sw', dump: '0', passno: '0' };
  t.equal(setEntry(text, swap), `${text}/dev/sdb2 none swap sw 0 0\n`);
  t.equal(removeEntry(text, 'none', '/dev/sdb2'), text);
  t.equal(removeEntry(text, 'none', '/dev/sda2'), '');
});

t.test('removeEntry and findEntry', async (t) => {
  const text = '# keep\n/dev/vdb1 /srv/data ext4 defaults 0 2\ntmpfs /tmp tmpfs size=1G 0 0\n';
  t.equal(removeEntry(text, '/srv/data'), '# keep\ntmpfs /tmp tmpfs size=1G 0 0\n');
  t.equal(removeEntry(text, '/nope'), text);
  t.same(findEntry(text, '/tmp'), { src: 'tmpfs', path: '/tmp', fstype: 'tmpfs', opts: 'size=1G', dump: '0', passno: '0' });
  t.equal(findEntry(text, '/nope'), undefined);
});

t.test('mountinfo: mount points, types, options; a bind mount shows the directory it comes from', async (t) => {
  const info = [
    '20 1 253:1 / / rw,relatime - ext4 /dev/vda1 rw',
    '42 20 0:35 / /tmp rw,nosuid - tmpfs tmpfs rw,size=8192k,mode=755',
    '78 42 0:35 /aaa /tmp/bbb rw - tmpfs tmpfs rw',
    '90 20 253:1 /srv/src /mnt/my\\040bind rw,relatime - ext4 /dev/vda1 rw',
    '',
  ].join('\n');
  const m = parseMountinfo(info);
  t.same(m.get('/'), { src: '/dev/vda1', fstype: 'ext4', opts: 'rw,relatime', superOpts: 'rw' });
  t.same(m.get('/tmp'), { src: 'tmpfs', fstype: 'tmpfs', opts: 'rw,nosuid', superOpts: 'rw,size=8192k,mode=755' });
  t.same(m.get('/tmp/bbb'), { src: '/tmp/aaa', fstype: 'tmpfs', opts: 'rw', superOpts: 'rw' });
  t.same(m.get('/mnt/my bind'), { src: '/srv/src', fstype: 'ext4', opts: 'rw,relatime', superOpts: 'rw' });
  t.equal(m.get('/nope'), undefined);
  const optional = parseMountinfo('36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n');
  t.same(
    optional.get('/mnt2'),
    { src: '/dev/root', fstype: 'ext3', opts: 'rw,noatime', superOpts: 'rw,errors=continue' },
    'optional fields before the dash are skipped',
  );
});

t.test('hasOptions: flags shown, values equal as the kernel prints them back, unshown values not held against', async (t) => {
  const m = { src: 'tmpfs', fstype: 'tmpfs', opts: 'rw,nosuid,relatime', superOpts: 'rw,size=8192k,mode=755' };
  t.ok(hasOptions(m, 'defaults'));
  t.ok(hasOptions(m, 'nosuid,size=8m,mode=0755'));
  t.ok(hasOptions(m, 'size=8192k,uid=0'), 'uid is not shown: cannot be compared');
  t.notOk(hasOptions(m, 'noexec'), 'a flag that is not shown');
  t.notOk(hasOptions(m, 'size=16m'));
  t.notOk(hasOptions(m, 'mode=0700'));
  t.notOk(hasOptions(m, 'ro'));
});
