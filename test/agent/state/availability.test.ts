import t from 'tap';
import { writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AVAILABILITY_FILE, availabilityStore, loadAvailability } from '../../../agent/state/availability.js';

t.test('availability persists; missing or unreadable means available', async (t) => {
  const dir = t.testdir();
  t.equal(await loadAvailability(dir), true, 'no file');
  const a = availabilityStore(dir, true);
  await a.set(false);
  t.equal(a.get(), false);
  t.equal(await loadAvailability(dir), false, 'saved');
  t.equal(statSync(join(dir, AVAILABILITY_FILE)).mode & 0o777, 0o600);
  await Promise.all([a.set(true), a.set(false), a.set(true)]);
  t.equal(a.get(), true, 'last write wins, in order');
  t.equal(await loadAvailability(dir), true);
  writeFileSync(join(dir, AVAILABILITY_FILE), '{oops');
  t.equal(await loadAvailability(dir), true, 'corrupt file: available');
});
