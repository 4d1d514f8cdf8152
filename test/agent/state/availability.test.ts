import t from 'tap';
import { writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AVAILABILITY_FILE, availabilityOf, availabilityStore, fromAvailableFlag, loadAvailability } from '../../../agent/state/availability.js';

t.test('availability persists; missing or unreadable means active', async (t) => {
  const dir = t.testdir();
  t.equal(await loadAvailability(dir), 'active', 'no file');
  const a = availabilityStore(dir, 'active');
  await a.set('drain');
  t.equal(a.get(), 'drain');
  t.equal(await loadAvailability(dir), 'drain', 'saved');
  t.equal(statSync(join(dir, AVAILABILITY_FILE)).mode & 0o777, 0o600);
  await Promise.all([a.set('active'), a.set('drain'), a.set('pause')]);
  t.equal(a.get(), 'pause', 'last write wins, in order');
  t.equal(await loadAvailability(dir), 'pause');
  writeFileSync(join(dir, AVAILABILITY_FILE), '{oops');
  t.equal(await loadAvailability(dir), 'active', 'corrupt file: active');
});

t.test('old files load; new files stay readable by an older agent', async (t) => {
  // What each document on disk means to this agent.
  const rows: [unknown, string, string][] = [
    [{ available: false }, 'drain', 'an older agent drained it'],
    [{ available: true }, 'active', 'an older agent made it available'],
    [{ availability: 'pause', available: false }, 'pause', 'this agent, paused'],
    [{ availability: 'drain', available: false }, 'drain', 'this agent, drained'],
    [{ availability: 'active', available: true }, 'active', 'this agent, active'],
    [{ availability: 'pause' }, 'pause', 'without the flag'],
    [{ availability: 'sleep', available: false }, 'drain', 'an unknown word falls back to the flag'],
    [{ availability: 'sleep' }, 'active', 'an unknown word, no flag'],
    [{ availability: 3 }, 'active', 'not a string'],
    [{}, 'active', 'empty'],
    [null, 'active', 'null'],
    ['drain', 'active', 'a bare string is not a document'],
    [[], 'active', 'an array'],
  ];
  for (const [doc, want, why] of rows) t.equal(availabilityOf(doc), want, why);

  // An older agent reads `available !== false`: pause and drain must both read as not available.
  const dir = t.testdir();
  const a = availabilityStore(dir, 'active');
  for (const [next, olderSees] of [
    ['pause', false],
    ['drain', false],
    ['active', true],
  ] as const) {
    await a.set(next);
    const doc = JSON.parse(readFileSync(join(dir, AVAILABILITY_FILE), 'utf8')) as { available?: unknown; availability?: unknown };
    t.equal(doc.available !== false, olderSees, `${next}: an older agent sees available=${olderSees}`);
    t.equal(doc.availability, next);
  }
  t.equal(fromAvailableFlag(false), 'drain');
  t.equal(fromAvailableFlag(true), 'active');
});

t.test('a failed write keeps the old availability', async (t) => {
  const dir = t.testdir();
  const a = availabilityStore(join(dir, 'missing', 'deeper'), 'active');
  // writeFileAtomic makes missing directories; a file in the way is what makes it fail.
  writeFileSync(join(dir, 'missing'), 'not a directory');
  await t.rejects(a.set('drain'));
  t.equal(a.get(), 'active');
});
