import t from 'tap';
import {
  hardwareCache,
  hardwareFromSi,
  HARDWARE_INTERVAL_MS,
  type HardwarePort,
  type HardwareReading,
  type ScheduleFn,
  type SiCpu,
  type SiSystem,
  type SiTemperature,
} from '../../../agent/report/hardware.js';

// Answers as systeminformation gives them: a Pi 4 with its SoC sensor, this x86 VM (no sensors, no speed),
// a DMI desktop, and calls that failed.
const PI4_SYSTEM: SiSystem = { manufacturer: 'Raspberry Pi Foundation', model: 'Raspberry Pi 4 Model B Rev 1.4', virtual: false };
const PI4_CPU: SiCpu = { manufacturer: 'ARM', brand: 'Cortex-A72', speed: 1.8, speedMax: 1.8, cores: 4, physicalCores: 4 };
const PI4_TEMP: SiTemperature = { main: 48.7, max: 48.7, cores: [], chipset: null };
const VM_SYSTEM: SiSystem = { manufacturer: '', model: 'Docker Container', virtual: false };
const VM_CPU: SiCpu = { manufacturer: 'AMD', brand: 'EPYC', speed: 0, speedMax: 0, cores: 2, physicalCores: 2 };
const NO_SENSORS: SiTemperature = { main: null, max: null, cores: [], chipset: null };

t.test('systeminformation answers -> a reading', async (t) => {
  const rows: [string, SiSystem | undefined, SiCpu | undefined, SiTemperature | undefined, Partial<HardwareReading>][] = [
    [
      'Pi 4: model, core and SoC temperature',
      PI4_SYSTEM,
      PI4_CPU,
      PI4_TEMP,
      {
        manufacturer: 'Raspberry Pi Foundation',
        systemModel: 'Raspberry Pi 4 Model B Rev 1.4',
        cpu: { manufacturer: 'ARM', brand: 'Cortex-A72', speedGHz: 1.8, speedMaxGHz: 1.8, cores: 4, physicalCores: 4 },
        temperatures: { mainC: 48.7, maxC: 48.7, coresC: [], chipsetC: null },
      },
    ],
    [
      'VM: empty strings and zero speeds are unknown, no sensors gives null temperatures',
      VM_SYSTEM,
      VM_CPU,
      NO_SENSORS,
      {
        manufacturer: null,
        systemModel: 'Docker Container',
        cpu: { manufacturer: 'AMD', brand: 'EPYC', speedGHz: null, speedMaxGHz: null, cores: 2, physicalCores: 2 },
        temperatures: null,
      },
    ],
    [
      'desktop: per-core sensors only; -1 (older versions) is unknown',
      { manufacturer: 'LENOVO', model: ' 20L7S0 ', virtual: false },
      { brand: 'Core i7-8550U', speed: 1.8, speedMax: 4, cores: 8, physicalCores: 4 },
      { main: -1, max: null, cores: [51, -1, 53], chipset: 44 },
      {
        systemModel: '20L7S0',
        cpu: { manufacturer: null, brand: 'Core i7-8550U', speedGHz: 1.8, speedMaxGHz: 4, cores: 8, physicalCores: 4 },
        temperatures: { mainC: null, maxC: null, coresC: [51, 53], chipsetC: 44 },
      },
    ],
    ['"-" is unknown', { manufacturer: '-', model: '-', virtual: true }, undefined, undefined, { manufacturer: null, systemModel: null, virtual: true }],
    ['every call failed', undefined, undefined, undefined, { manufacturer: null, systemModel: null, virtual: null, cpu: null, temperatures: null }],
    ['only the temperature call failed', PI4_SYSTEM, PI4_CPU, undefined, { systemModel: 'Raspberry Pi 4 Model B Rev 1.4', temperatures: null }],
  ];
  for (const [why, system, cpu, temp, want] of rows) {
    const got = hardwareFromSi(system, cpu, temp);
    // Exact on the fields the row names (a missing field in the answer is a failure, not a pass).
    t.same(Object.fromEntries(Object.keys(want).map((k) => [k, got[k as keyof HardwareReading]])), want, why);
  }
});

/** A fake clock and timer queue: nothing runs until the test says so. */
function fakeTime(start = Date.UTC(2026, 0, 1)): { now: () => number; schedule: ScheduleFn; advance(ms: number): void; pending(): number[] } {
  let now = start;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  return {
    now: () => now,
    schedule(fn, ms) {
      const id = ++ids;
      timers.push({ at: now + ms, fn, id });
      return () => {
        timers = timers.filter((x) => x.id !== id);
      };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((x) => x !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
    pending: () => timers.map((x) => x.at - now).sort((a, b) => a - b),
  };
}

/** A port whose readings the test resolves or rejects one by one. */
function fakePort(): HardwarePort & { calls: number; answer(r: HardwareReading): void; fail(message: string): void } {
  let settle: { resolve: (r: HardwareReading) => void; reject: (e: Error) => void } | undefined;
  const port = {
    calls: 0,
    read(): Promise<HardwareReading> {
      port.calls++;
      return new Promise<HardwareReading>((resolve, reject) => (settle = { resolve, reject }));
    },
    answer(r: HardwareReading) {
      settle!.resolve(r);
    },
    fail(message: string) {
      settle!.reject(new Error(message));
    },
  };
  return port;
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
const PI4 = hardwareFromSi(PI4_SYSTEM, PI4_CPU, PI4_TEMP);
const HOT = hardwareFromSi(PI4_SYSTEM, PI4_CPU, { ...PI4_TEMP, main: 71.2, max: 71.2 });

t.test('the cache: read once at start, then every interval after the previous reading ends', async (t) => {
  const time = fakeTime();
  const port = fakePort();
  const cache = hardwareCache({ port, now: time.now, schedule: time.schedule });
  t.match(cache.snapshot(), { systemModel: null, cpu: null, temperatures: null, collectedAt: null, ageS: null }, 'empty before the first reading');
  t.equal(port.calls, 0, 'nothing is read before start');
  cache.start();
  cache.start();
  t.equal(port.calls, 1, 'start reads at once, and only once when called twice');
  t.equal(cache.snapshot().collectedAt, null, 'a reading in flight is not waited for');

  time.advance(2_500); // systeminformation is slow on a Pi
  port.answer(PI4);
  await flush();
  t.match(cache.snapshot(), { systemModel: 'Raspberry Pi 4 Model B Rev 1.4', temperatures: { mainC: 48.7 }, collectedAt: '2026-01-01T00:00:02.500Z', ageS: 0 });
  t.same(time.pending(), [HARDWARE_INTERVAL_MS], 'the next reading is due 10 minutes after this one ended');

  time.advance(5 * 60_000);
  t.equal(cache.snapshot().ageS, 300, 'the age grows with the clock');
  t.equal(port.calls, 1, 'no reading before the interval');
  time.advance(5 * 60_000);
  t.equal(port.calls, 2, 'the second reading after 10 minutes');
  t.equal(cache.snapshot().temperatures?.mainC, 48.7, 'the old reading is served while the new one runs');
  port.answer(HOT);
  await flush();
  t.match(cache.snapshot(), { temperatures: { mainC: 71.2 }, ageS: 0 }, 'the new reading replaces it');

  cache.stop();
  t.same(time.pending(), [], 'stop cancels the next reading');
  time.advance(60 * 60_000);
  t.equal(port.calls, 2, 'nothing is read after stop');
});

t.test('the cache: a failed reading keeps the last good one and says why; one error message per kind', async (t) => {
  const time = fakeTime();
  const port = fakePort();
  const errors: string[] = [];
  const cache = hardwareCache({ port, now: time.now, schedule: time.schedule, intervalMs: 1_000, onError: (m) => errors.push(m) });
  cache.start();
  port.fail('spawn dmidecode ENOENT');
  await flush();
  t.match(cache.snapshot(), { systemModel: null, collectedAt: null, error: 'spawn dmidecode ENOENT' }, 'no reading yet, and the reason');
  time.advance(1_000);
  port.answer(PI4);
  await flush();
  t.notOk('error' in cache.snapshot(), 'a good reading clears the error');
  time.advance(1_000);
  port.fail('sensors: timed out');
  await flush();
  time.advance(1_000);
  port.fail('sensors: timed out');
  await flush();
  t.match(
    cache.snapshot(),
    { systemModel: 'Raspberry Pi 4 Model B Rev 1.4', ageS: 2, error: 'sensors: timed out' },
    'the last good reading, with its age and the error',
  );
  t.same(errors, ['spawn dmidecode ENOENT', 'sensors: timed out'], 'a repeated failure is told once');
  t.equal(port.calls, 4, 'failures do not stop the schedule');
  cache.stop();
});

t.test('the cache: a reading that never answers times out and the schedule goes on', async (t) => {
  const time = fakeTime();
  const port = fakePort();
  const cache = hardwareCache({ port, now: time.now, schedule: time.schedule, timeoutMs: 30_000 });
  cache.start();
  time.advance(30_000);
  await flush();
  t.match(cache.snapshot(), { collectedAt: null, error: 'no answer within 30 s' });
  t.same(time.pending(), [HARDWARE_INTERVAL_MS], 'the next reading is scheduled anyway');
  time.advance(HARDWARE_INTERVAL_MS);
  t.equal(port.calls, 2, 'and happens');
  port.answer(PI4);
  await flush();
  t.equal(cache.snapshot().systemModel, 'Raspberry Pi 4 Model B Rev 1.4');
  t.same(time.pending(), [HARDWARE_INTERVAL_MS], 'the answered reading cancelled its own timeout');
  cache.stop();
});

t.test('the cache: refresh joins a reading in flight; snapshots are copies', async (t) => {
  const time = fakeTime();
  const port = fakePort();
  const cache = hardwareCache({ port, now: time.now, schedule: time.schedule });
  const a = cache.refresh();
  const b = cache.refresh();
  t.equal(port.calls, 1, 'one reading for two callers');
  port.answer(PI4);
  await Promise.all([a, b]);
  const s = cache.snapshot();
  s.temperatures!.coresC.push(99);
  s.cpu!.brand = 'changed';
  t.same(cache.snapshot().temperatures!.coresC, [], 'a caller changing its snapshot does not change the cache');
  t.equal(cache.snapshot().cpu!.brand, 'Cortex-A72');
  t.same(time.pending(), [], 'refresh alone schedules nothing');
});
