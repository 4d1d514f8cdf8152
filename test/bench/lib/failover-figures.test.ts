import t from 'tap';
import { ANCHORS, FAILOVER_TARGET_S, failoverFigures, failoverJson, formatFailoverTable } from '../../../bench/lib/failover-figures.mjs';

const rounds = (replaced: (number | null)[]) => replaced.map((r, i) => ({ host: `h0${(i % 3) + 1}`, downS: 3 + i / 10, replacedS: r }));

t.test('median and max of both delays', async (t) => {
  const f = failoverFigures(rounds([6, 8, 7, 9.5, 6.5]));
  t.same(f.replaced, { median: 7, max: 9.5, n: 5 });
  t.same(f.down, { median: 3.2, max: 3.4, n: 5 });
  t.equal(f.missed, 0);
  t.equal(f.met, true);
});

t.test('the target holds on the slowest round, on both sides of 10 s', async (t) => {
  t.equal(failoverFigures(rounds([5, FAILOVER_TARGET_S])).met, true, 'exactly 10 s');
  t.equal(failoverFigures(rounds([5, FAILOVER_TARGET_S + 0.1])).met, false, 'one round over');
  t.equal(failoverFigures(rounds([5, null])).met, false, 'a round that never got its replicas back');
  t.equal(failoverFigures(rounds([5, null])).missed, 1);
  t.equal(failoverFigures([]).met, false, 'no round measured');
});

t.test('the table: rounds, median and max, target, anchors', async (t) => {
  const text = formatFailoverTable(failoverFigures(rounds([6, 8, null])));
  t.match(text, /round\s+host\s+marked down\s+running elsewhere/);
  t.match(text, /3\s+h03\s+3\.2 s\s+not reached/);
  t.match(text, /host killed, 3 rounds\s+median\s+max\s+target/);
  t.match(text, /-> marked down\s+3\.1 s\s+3\.2 s\s+-/);
  t.match(text, /-> its replicas running elsewhere\s+7\.0 s\s+8\.0 s\s+<= 10 s {2}MISS/);
  t.match(text, /1 round\(s\) did not get their replicas back in time/);
  for (const a of ANCHORS) t.match(text, new RegExp(`${a.name}\\s+${a.figure.replace('~', '~')}\\s+\\S`));
  t.match(text, /Docker Swarm\s+~20 s\s+5 s heartbeat x 3 missed \+ 5 s restart delay/);
  t.match(text, /Kubernetes\s+~350 s/);
  t.match(formatFailoverTable(failoverFigures(rounds([6]))), /<= 10 s {2}PASS/);
});

t.test('JSON carries the anchors and the verdict', async (t) => {
  const j = failoverJson({ machine: { cpu: 'x' }, figures: failoverFigures(rounds([4, 5])) });
  t.same(j.target, { replacedMaxSeconds: 10, met: true });
  t.same(j.anchors, ANCHORS);
  t.equal((j.rounds as unknown[]).length, 2);
});
