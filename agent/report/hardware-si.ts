/**
 * The systeminformation adapter: the only file that imports it. It is loaded on the first reading, not at
 * start-up, so an agent that is starting (or a Pi that is busy) does not pay for it before the API listens.
 */
import { hardwareFromSi, type HardwarePort, type HardwareReading } from './hardware.js';

const settled = <T>(r: PromiseSettledResult<T>): T | undefined => (r.status === 'fulfilled' ? r.value : undefined);

/** A HardwarePort over systeminformation's system(), cpu() and cpuTemperature(). */
export function systeminformationPort(): HardwarePort {
  return {
    async read(): Promise<HardwareReading> {
      const si = await import('systeminformation');
      // One failing call (no sensors, no dmidecode) must not lose what the others found.
      const [system, cpu, temp] = await Promise.allSettled([si.system(), si.cpu(), si.cpuTemperature()]);
      if (system.status === 'rejected' && cpu.status === 'rejected' && temp.status === 'rejected') {
        throw new Error(`systeminformation failed: ${system.reason instanceof Error ? system.reason.message : String(system.reason)}`);
      }
      return hardwareFromSi(settled(system), settled(cpu), settled(temp));
    },
  };
}
