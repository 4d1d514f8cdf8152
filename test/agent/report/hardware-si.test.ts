import t from 'tap';
import { systeminformationPort } from '../../../agent/report/hardware-si.js';
import { hardwareCache } from '../../../agent/report/hardware.js';

// One real reading on this machine: proves the adapter loads systeminformation and maps its answers. What
// this machine has differs from a Pi (a VM: no sensors, often no CPU speed), so only the shape and the facts
// every Linux machine has are asserted.
t.test('a real reading through systeminformation', async (t) => {
  const reading = await systeminformationPort().read();
  t.ok(reading.systemModel === null || reading.systemModel.length > 0, 'the system model is a name or null, never ""');
  t.ok(reading.cpu, 'the CPU is described');
  t.ok((reading.cpu?.cores ?? 0) >= 1, `at least one core (${reading.cpu?.cores})`);
  t.ok(reading.cpu?.brand === null || reading.cpu!.brand.length > 0, `the CPU brand is a name or null (${reading.cpu?.brand})`);
  t.ok(reading.cpu?.speedGHz === null || reading.cpu!.speedGHz > 0, 'the speed is positive or unknown');
  if (reading.temperatures === null) t.pass('no temperature sensor here: temperatures are null');
  else
    t.ok(
      [reading.temperatures.mainC, reading.temperatures.maxC, reading.temperatures.chipsetC, ...reading.temperatures.coresC].some((c) => typeof c === 'number'),
      'a sensor gave a number',
    );
  t.comment(JSON.stringify(reading));
});

t.test('the cache over the real adapter answers at once and fills in the background', async (t) => {
  const cache = hardwareCache({ port: systeminformationPort() });
  const t0 = process.hrtime.bigint();
  cache.start();
  const first = cache.snapshot();
  t.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 50, 'start and snapshot do not wait for systeminformation');
  t.equal(first.collectedAt, null, 'nothing yet right after start');
  await cache.refresh(); // joins the reading start began
  t.ok(cache.snapshot().collectedAt, 'the reading arrived');
  t.equal(cache.snapshot().error, undefined, 'without an error');
  cache.stop();
});
