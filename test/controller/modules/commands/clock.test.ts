import t from 'tap';
import { formatDelta, formatStamp } from '../../../../controller/modules/commands/clock.js';

t.test('formatDelta follows Python timedelta', async (t) => {
  const table: [number, string][] = [
    [0, '0:00:00'],
    [2.541, '0:00:00.002541'],
    [1000, '0:00:01'],
    [61_500, '0:01:01.500000'],
    [3_723_004, '1:02:03.004000'],
    [-5, '0:00:00'],
  ];
  for (const [ms, want] of table) t.equal(formatDelta(ms), want, `${ms} ms`);
});

t.test('formatStamp is local time with microseconds', async (t) => {
  const d = new Date(2024, 0, 2, 3, 4, 5, 67);
  t.equal(formatStamp(d.getTime()), '2024-01-02 03:04:05.067000');
  t.equal(formatStamp(d.getTime() + 0.5), '2024-01-02 03:04:05.067500');
});
