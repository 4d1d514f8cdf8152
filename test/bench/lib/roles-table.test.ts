import t from 'tap';
import { countByPart, diffSnapshots, firstError, formatRolesTable, newDifferences, ratio } from '../../../bench/lib/roles-table.mjs';

t.test('diffSnapshots: a changed value, a key on one side only, equal keys left out', async (t) => {
  const m = { files: { '/etc/a': 'f 644', '/etc/b': 'f 600', '/etc/m': 'd 755' }, packages: { x: '1' } };
  const a = { files: { '/etc/a': 'f 644', '/etc/b': 'f 644' }, packages: { x: '1', y: '2' } };
  t.same(diffSnapshots(m, a), [
    { part: 'files', key: '/etc/b', muster: 'f 600', ansible: 'f 644' },
    { part: 'files', key: '/etc/m', muster: 'd 755', ansible: null },
    { part: 'packages', key: 'y', muster: null, ansible: '2' },
  ]);
  t.same(diffSnapshots(m, m), []);
});

t.test('newDifferences: only what the role added or changed', async (t) => {
  const d1 = { part: 'files' as const, key: '/etc/b', muster: 'f 600', ansible: 'f 644' };
  const d2 = { part: 'files' as const, key: '/etc/c', muster: null, ansible: 'f 644' };
  t.same(newDifferences([d1], [d1, d2]), [d2]);
  t.same(newDifferences([d1], [{ ...d1, muster: 'f 640' }]), [{ ...d1, muster: 'f 640' }], 'same key, other values: new');
  t.same(newDifferences([d1, d2], []), [], 'a difference that went away adds nothing');
});

t.test('ratio and counts', async (t) => {
  t.equal(ratio(2, 4), '0.50x');
  t.equal(ratio(4, 2), '2.00x');
  t.equal(ratio(0, 2), '-');
  t.equal(ratio(2, Number.NaN), '-');
  t.equal(countByPart([]), 'none');
  t.equal(
    countByPart([
      { part: 'sysctl', key: 'a', muster: '1', ansible: '2' },
      { part: 'files', key: 'b', muster: null, ansible: 'x' },
    ]),
    'files 1, sysctl 1',
  );
});

t.test('the table: aligned, failures shown as such with their first error line below', async (t) => {
  const text = formatRolesTable([
    { id: 'ntp', what: 'time sync', musterS: 3.21, ansibleS: 9.87, differences: 0, secondChanged: 0 },
    { id: 'docker', what: 'Docker', musterS: 1, ansibleS: 30, differences: 4, secondChanged: null, musterError: 'ERROR! boom' },
  ]);
  const lines = text.split('\n');
  t.match(lines[0], /^\| role +\| what +\| muster s \| ansible s \| ratio +\| differences \| muster 2nd run changed \|$/);
  t.equal(new Set(lines.slice(0, 4).map((l) => l.length)).size, 1, 'rows are equally wide');
  t.match(lines[2], /\| ntp +\| time sync \| 3\.2 +\| 9\.9 +\| 0\.33x \| 0 +\| 0 +\|/);
  t.match(lines[3], /\| docker \| Docker +\| failed +\| 30\.0 +\| - +\| 4 +\| - +\|/);
  t.equal(lines.at(-1), 'docker: muster: ERROR! boom');
});

t.test('firstError: the line that says why', async (t) => {
  t.equal(firstError('PLAY\nTASK [x]\nfatal: [h01]: FAILED! => {"msg": "no"}\nPLAY RECAP\n'), 'fatal: [h01]: FAILED! => {"msg": "no"}');
  t.equal(firstError('ERROR! bad\n  hint: x\n'), 'ERROR! bad');
  t.equal(firstError('a\nlast\n\n'), 'last');
  t.equal(firstError(''), 'no output');
});
