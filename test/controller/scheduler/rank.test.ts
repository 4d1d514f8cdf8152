/** The one comparator on tables, the heap that uses it, and the fraction it ranks by. */
import t from 'tap';
import { BestK, NodeHeap } from '../../../controller/scheduler/heap.js';
import { compareRank, fraction, type RankTable, rankReason } from '../../../controller/scheduler/rank.js';

interface Row {
  name: string;
  spread?: number[];
  replicas?: number;
  mem?: number;
  cpu?: number;
}

/** A table from rows (each row gets its own spread array unless two rows share one object). */
function table(rows: Row[]): RankTable {
  return {
    spread: rows.map((r) => r.spread ?? []),
    replicas: rows.map((r) => r.replicas ?? 0),
    memoryAfter: rows.map((r) => r.mem ?? 0),
    cpuAfter: rows.map((r) => r.cpu ?? 0),
    names: rows.map((r) => r.name),
  };
}

/** The winner of each pair, by name. */
const better = (a: Row, b: Row) => {
  const c = compareRank(table([a, b]), 0, 1);
  return c < 0 ? a.name : c > 0 ? b.name : '=';
};

t.test('the order: spread, replicas, memory after, CPU after, name', async (t) => {
  const cases: [string, Row, Row, string][] = [
    ['fewer in the spread group wins over everything after', { name: 'b', spread: [1], replicas: 5, mem: 0.9 }, { name: 'a', spread: [2], mem: 0.1 }, 'b'],
    ['the first spread key decides before the second', { name: 'a', spread: [1, 9] }, { name: 'b', spread: [2, 0] }, 'a'],
    ['then the second', { name: 'a', spread: [1, 3] }, { name: 'b', spread: [1, 2] }, 'b'],
    ['fewest replicas of the service', { name: 'a', replicas: 2, mem: 0.1 }, { name: 'b', replicas: 1, mem: 0.9 }, 'b'],
    ['lowest memory fraction after', { name: 'a', mem: 0.5, cpu: 0 }, { name: 'b', mem: 0.4, cpu: 0.9 }, 'b'],
    ['a full node (Infinity) loses', { name: 'a', mem: Number.POSITIVE_INFINITY }, { name: 'b', mem: 0.99 }, 'b'],
    ['then lowest CPU fraction', { name: 'a', mem: 0.5, cpu: 0.2 }, { name: 'b', mem: 0.5, cpu: 0.1 }, 'b'],
    ['then the name', { name: 'n10', mem: 0.5, cpu: 0.5 }, { name: 'n9', mem: 0.5, cpu: 0.5 }, 'n10'],
    ['names compare by code unit, not locale', { name: 'Z' }, { name: 'a' }, 'Z'],
    ['the same node ties', { name: 'a' }, { name: 'a' }, '='],
  ];
  for (const [name, a, b, expected] of cases) {
    t.equal(better(a, b), expected, name);
    t.equal(better(b, a), expected, `${name} (swapped)`);
  }
});

t.test('nodes of one spread group share one array: compared by what follows', async (t) => {
  const group = [3];
  const tb = table([
    { name: 'a', spread: group, replicas: 1 },
    { name: 'b', spread: group, replicas: 0 },
  ]);
  t.ok(compareRank(tb, 1, 0) < 0);
});

t.test('a sort by the comparator is total and deterministic', async (t) => {
  const rows: Row[] = [
    { name: 'e', replicas: 1, mem: 0.1 },
    { name: 'c', mem: 0.3, cpu: 0.1 },
    { name: 'a', mem: 0.3, cpu: 0.1 },
    { name: 'd', mem: 0.2 },
    { name: 'b', spread: [0], replicas: 3 },
  ];
  for (const r of rows) r.spread ??= [1];
  const tb = table(rows);
  const order = rows.map((_, i) => i).sort((x, y) => compareRank(tb, x, y));
  t.same(
    order.map((i) => rows[i].name),
    ['b', 'd', 'a', 'c', 'e'],
  );
});

t.test('the heap pops in comparator order and re-sinks a grown top', async (t) => {
  const mem = [0.5, 0.1, 0.3, 0.2, 0.4];
  const tb = table(mem.map((m, i) => ({ name: `n${i}`, mem: m })));
  const less = (a: number, b: number) => compareRank(tb, a, b) < 0;
  const h = new NodeHeap(Int32Array.from([0, 1, 2, 3, 4, 99]), 5, less);
  t.equal(h.size, 5, 'only the first `size` entries');
  t.equal(h.top(), 1);
  (tb.memoryAfter as number[])[1] = 0.45;
  h.fixTop();
  const out: number[] = [];
  while (h.size) out.push(h.top()), h.pop();
  t.same(out, [3, 2, 4, 1, 0]);
  t.equal(h.top(), -1, 'empty');
});

t.test('BestK keeps the best k offered, whatever the order of the offers', async (t) => {
  const mem = [0.5, 0.1, 0.3, 0.2, 0.4, 0.05, 0.6];
  const tb = table(mem.map((m, i) => ({ name: `n${i}`, mem: m })));
  const less = (a: number, b: number) => compareRank(tb, a, b) < 0;
  const best = (k: number, offers: number[]) => {
    const b = new BestK(k, less);
    for (const i of offers) if (b.wants(i)) b.add(i);
    return [...b.items].sort((x, y) => mem[x] - mem[y]);
  };
  const all = [0, 1, 2, 3, 4, 5, 6];
  t.same(best(3, all), [5, 1, 3]);
  t.same(best(3, [...all].reverse()), [5, 1, 3]);
  t.same(best(1, all), [5], 'k = 1: the best');
  t.same(best(7, all), [5, 1, 3, 2, 4, 0, 6], 'k = offers: all of them');
  t.same(best(8, all), [5, 1, 3, 2, 4, 0, 6], 'k > offers: all of them');
  const b = new BestK(2, less);
  for (const i of [1, 5]) b.add(i);
  t.equal(b.wants(3), false, 'full: a worse node is not wanted');
  t.equal(b.wants(1), false, 'full: not the worst kept itself');
  b.items.length = 1;
  t.equal(b.wants(3), true, 'not full: any node is wanted');
});

t.test('fraction: a node with no capacity is full as soon as anything is used', async (t) => {
  t.equal(fraction(512, 1024), 0.5);
  t.equal(fraction(0, 0), 0);
  t.equal(fraction(1, 0), Number.POSITIVE_INFINITY);
});

t.test('rankReason says why, in the order of the comparator', async (t) => {
  const tb = table([{ name: 'a', spread: [2], replicas: 1, mem: 0.314, cpu: 0.1 }]);
  t.equal(rankReason(tb, 0, 'web', ['node.labels.zone'], ['a']), 'spread zone=a had 2; 1 replica of web here before; memory 31%, CPU 10% after');
  const full = table([{ name: 'a', spread: [0], mem: Number.POSITIVE_INFINITY, replicas: 0 }]);
  t.equal(rankReason(full, 0, 'web', ['node.labels.zone'], ['']), 'spread zone=(none) had 0; 0 replicas of web here before; memory full, CPU 0% after');
});
