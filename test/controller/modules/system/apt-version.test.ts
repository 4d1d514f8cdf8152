/** Debian version ordering: a table of pairs with dpkg --compare-versions' answers. */
import t from 'tap';
import { compareDebVersions, parseDebVersion } from '../../../../controller/modules/system/apt-version.js';

// [a, b, sign of a - b] ; each pair is also checked reversed
const table: [string, string, -1 | 0 | 1][] = [
  ['1.10-1', '1.9-1', 1], // numbers, not strings: the bug a string comparison has
  ['1.9-1', '1.9-1', 0],
  ['1.9-2', '1.9-10', -1], // revisions compare numerically too
  ['1.0', '1.0-0', 0], // an absent revision compares as an empty part, equal to "0"
  ['1:1.0', '2.0', 1], // the epoch first
  ['0:1.0', '1.0', 0], // epoch 0 is no epoch
  ['1.0~rc1', '1.0', -1], // ~ sorts before the end
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~~', '1.0~', -1], // ~~ before ~
  ['1.0a', '1.0', 1], // a letter after the end
  ['1.0a', '1.0+', -1], // letters before other symbols
  ['1.0+b1', '1.0', 1],
  ['1.22.1-9+deb12u1', '1.22.1-9', 1],
  ['5:27.0.3-1~debian.12~bookworm', '5:27.0.3-1~debian.12', -1],
  ['1.001', '1.1', 0], // leading zeros do not count
  ['1.2.3-1ubuntu0.1', '1.2.3-1', 1],
  ['2.36.1-8+deb11u1', '2.36.1-8', 1],
  ['99999999999999999999.1', '99999999999999999998.9', 1], // longer than a JS number holds exactly
  ['1.0-1-1', '1.0-1', 1], // the revision is after the last dash: upstream 1.0-1 > 1.0
];

t.test('compareDebVersions', async (t) => {
  for (const [a, b, want] of table) {
    t.equal(Math.sign(compareDebVersions(a, b)), want, `${a} vs ${b}`);
    t.equal(Math.sign(compareDebVersions(b, a)), -want || 0, `${b} vs ${a}`);
  }
});

t.test('parseDebVersion', async (t) => {
  t.same(parseDebVersion('2:1.2-3-4'), { epoch: 2, upstream: '1.2-3', revision: '4' });
  t.same(parseDebVersion('1.2'), { epoch: 0, upstream: '1.2', revision: '' });
  t.same(parseDebVersion('5:27.0.3-1~debian.12'), { epoch: 5, upstream: '27.0.3', revision: '1~debian.12' });
});
