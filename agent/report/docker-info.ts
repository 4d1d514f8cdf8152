/** Pure reading of Docker's `/info` answer (the JSON of `docker info --format '{{json .}}'`). */
import type { DockerInfo } from '../../shared/wire.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Docker's info object (any shape: it comes off a socket) -> the fields the report keeps. */
export function parseDockerInfo(info: unknown): DockerInfo {
  const o = info !== null && typeof info === 'object' && !Array.isArray(info) ? (info as Record<string, unknown>) : {};
  const warnings = Array.isArray(o.Warnings) ? o.Warnings.filter((w): w is string => typeof w === 'string') : [];
  return {
    version: str(o.ServerVersion),
    cgroupDriver: str(o.CgroupDriver),
    cgroupVersion: str(o.CgroupVersion),
    memoryLimit: o.MemoryLimit === true,
    swapLimit: o.SwapLimit === true,
    warnings,
    dataRoot: str(o.DockerRootDir),
  };
}
