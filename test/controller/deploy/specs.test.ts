import t from 'tap';
import { CPU_RESERVATION_LABEL, specBook } from '../../../controller/deploy/specs.js';
import { currentReplica } from '../../../controller/deploy/current.js';
import { service, stack } from './fixtures.js';

t.test('specBook: names carry the hash the scheduler compares; the CPU reservation rides in a label current.ts reads back', async (t) => {
  const web = service('web');
  web.deploy.reservations.cpus = 0.25;
  web.deploy.limits.memoryBytes = 64 << 20;
  const book = specBook([stack([web, service('db')])]);
  const spec = book.spec({ stack: 'demo', service: 'web', slot: 3 });
  t.match(book.hash8('demo', 'web'), /^[0-9a-f]{8}$/);
  t.equal(spec.name, `demo_web.3.${book.hash8('demo', 'web')}`);
  t.equal(spec.replica, 3);
  t.equal(spec.labels?.[CPU_RESERVATION_LABEL], '0.25');
  t.equal(book.spec({ stack: 'demo', service: 'db', slot: 1 }).labels, undefined, 'no label without a reservation');
  t.not(book.hash8('demo', 'web'), book.hash8('demo', 'db'));
  const back = currentReplica('h01', spec, undefined);
  t.equal(back.specHash, book.hash8('demo', 'web'), 'read back from the name: the same identity');
  t.equal(back.cpuReservation, 0.25);
  t.equal(back.memoryReservationBytes, 64 << 20);

  const changed = service('web', { replicas: 9 });
  changed.deploy.reservations.cpus = 0.25;
  changed.deploy.limits.memoryBytes = 64 << 20;
  t.equal(specBook([stack([changed])]).hash8('demo', 'web'), book.hash8('demo', 'web'), 'replicas are not in the template: scaling replaces nothing');
  changed.image = 'muster-busybox:2';
  t.not(specBook([stack([changed])]).hash8('demo', 'web'), book.hash8('demo', 'web'), 'a new image is a new spec');
  t.throws(() => book.spec({ stack: 'demo', service: 'nope', slot: 1 }));
});
