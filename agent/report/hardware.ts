/**
 * Hardware facts that only systeminformation gives cheaply enough to be worth it (system model, CPU brand and
 * speed, temperatures). Its calls spawn processes and take milliseconds to seconds on a Pi, so they never run
 * on the report's hot path: a cache reads them once at start and then rarely, in the background, and the
 * report copies whatever the cache holds, with its age. The systeminformation calls themselves live in
 * hardware-si.ts, the only file that imports it; everything here is pure or driven by injected time.
 */

/** CPU facts systeminformation adds to /proc/cpuinfo (brand and speed, even on x86 VMs). */
export interface HardwareCpu {
  manufacturer: string | null;
  brand: string | null;
  /** current speed in GHz; null when the machine does not say (common in VMs) */
  speedGHz: number | null;
  speedMaxGHz: number | null;
  cores: number | null;
  physicalCores: number | null;
}

/** Temperatures in degrees Celsius, present only when the machine has sensors. */
export interface HardwareTemperatures {
  mainC: number | null;
  maxC: number | null;
  coresC: number[];
  chipsetC: number | null;
}

/** One successful reading. */
export interface HardwareReading {
  manufacturer: string | null;
  /** e.g. `Raspberry Pi 4 Model B Rev 1.4` or the DMI product name */
  systemModel: string | null;
  virtual: boolean | null;
  cpu: HardwareCpu | null;
  temperatures: HardwareTemperatures | null;
}

/** The report's `hardware` section: the cached reading with its age. */
export interface HardwareReport extends HardwareReading {
  /** when the reading was taken; null before the first one finished */
  collectedAt: string | null;
  /** seconds since then */
  ageS: number | null;
  /** why the last refresh failed (the reading, if any, is older) */
  error?: string;
}

/** Where readings come from (systeminformation on a node, a fake in tests). */
export interface HardwarePort {
  read(): Promise<HardwareReading>;
}

/** The parts of systeminformation's `system()` answer used here. */
export interface SiSystem {
  manufacturer?: string;
  model?: string;
  virtual?: boolean;
}

/** The parts of systeminformation's `cpu()` answer used here. */
export interface SiCpu {
  manufacturer?: string;
  brand?: string;
  speed?: number;
  speedMax?: number;
  cores?: number;
  physicalCores?: number;
}

/** The parts of systeminformation's `cpuTemperature()` answer used here. */
export interface SiTemperature {
  main?: number | null;
  max?: number | null;
  cores?: number[];
  chipset?: number | null;
}

// systeminformation says "unknown" with '', '-', 0 or -1 depending on the field and the platform.
const text = (s: string | undefined): string | null => (s === undefined || s.trim() === '' || s.trim() === '-' ? null : s.trim());
const positive = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null);
const celsius = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) && n > -100 && n !== -1 ? n : null);

/** Maps systeminformation's answers (any of them missing when its call failed) to a reading. */
export function hardwareFromSi(system: SiSystem | undefined, cpu: SiCpu | undefined, temp: SiTemperature | undefined): HardwareReading {
  const cores = (temp?.cores ?? []).map(celsius).filter((c): c is number => c !== null);
  const temperatures: HardwareTemperatures = { mainC: celsius(temp?.main), maxC: celsius(temp?.max), coresC: cores, chipsetC: celsius(temp?.chipset) };
  const sensed = temperatures.mainC !== null || temperatures.maxC !== null || cores.length > 0 || temperatures.chipsetC !== null;
  return {
    manufacturer: text(system?.manufacturer),
    systemModel: text(system?.model),
    virtual: system?.virtual ?? null,
    cpu:
      cpu === undefined
        ? null
        : {
            manufacturer: text(cpu.manufacturer),
            brand: text(cpu.brand),
            speedGHz: positive(cpu.speed),
            speedMaxGHz: positive(cpu.speedMax),
            cores: positive(cpu.cores),
            physicalCores: positive(cpu.physicalCores),
          },
    temperatures: sensed ? temperatures : null,
  };
}

/** Schedules `fn` after `ms` and returns a canceller (real timers are unref'd: the cache never keeps the agent alive). */
export type ScheduleFn = (fn: () => void, ms: number) => () => void;

const realSchedule: ScheduleFn = (fn, ms) => {
  const h = setTimeout(fn, ms);
  h.unref();
  return () => clearTimeout(h);
};

/** How the cache reads and when. */
export interface HardwareCacheOptions {
  port: HardwarePort;
  /** between the end of one reading and the start of the next; 10 minutes by default */
  intervalMs?: number;
  /** a reading taking longer counts as failed; 60 s by default */
  timeoutMs?: number;
  now?: () => number;
  schedule?: ScheduleFn;
  /** told each failure whose message differs from the previous one */
  onError?: (message: string) => void;
}

/** A background-refreshed reading. */
export interface HardwareCache {
  /** starts the first reading at once, in the background; later ones follow every interval */
  start(): void;
  /** the cached reading with its age: synchronous, no I/O, cheap enough for every report */
  snapshot(): HardwareReport;
  /** reads now (joining a reading in flight); never rejects */
  refresh(): Promise<void>;
  /** cancels the next reading */
  stop(): void;
}

const EMPTY: HardwareReading = { manufacturer: null, systemModel: null, virtual: null, cpu: null, temperatures: null };

/** 10 minutes: temperatures are a hint for placement, not a monitor. */
export const HARDWARE_INTERVAL_MS = 10 * 60_000;

/** A hardware cache over a port. */
export function hardwareCache(opts: HardwareCacheOptions): HardwareCache {
  const now = opts.now ?? Date.now;
  const schedule = opts.schedule ?? realSchedule;
  const intervalMs = opts.intervalMs ?? HARDWARE_INTERVAL_MS;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let held: { at: number; reading: HardwareReading } | undefined;
  let error: string | undefined;
  let inFlight: Promise<void> | undefined;
  let cancelNext: (() => void) | undefined;
  let running = false;

  const fail = (message: string): void => {
    if (message !== error) opts.onError?.(message);
    error = message;
  };

  // A hung systeminformation call (a stuck child process) must not stop later refreshes.
  const readWithTimeout = (): Promise<HardwareReading> =>
    new Promise((resolve, reject) => {
      const cancel = schedule(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      opts.port.read().then(
        (r) => {
          cancel();
          resolve(r);
        },
        (e: unknown) => {
          cancel();
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });

  const refresh = (): Promise<void> => {
    inFlight ??= readWithTimeout()
      .then(
        (reading) => {
          held = { at: now(), reading };
          error = undefined;
        },
        (e: Error) => fail(e.message),
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const tick = (): void => {
    cancelNext = undefined;
    void refresh().then(() => {
      if (running) cancelNext = schedule(tick, intervalMs);
    });
  };

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    stop() {
      running = false;
      cancelNext?.();
      cancelNext = undefined;
    },
    refresh,
    snapshot() {
      const reading = held?.reading ?? EMPTY;
      return {
        ...reading,
        cpu: reading.cpu && { ...reading.cpu },
        temperatures: reading.temperatures && { ...reading.temperatures, coresC: [...reading.temperatures.coresC] },
        collectedAt: held ? new Date(held.at).toISOString() : null,
        ageS: held ? Math.max(0, Math.floor((now() - held.at) / 1000)) : null,
        ...(error === undefined ? {} : { error }),
      };
    },
  };
}
