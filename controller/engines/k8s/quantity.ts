/** Kubernetes resource quantities from muster's numbers: bytes as binary-suffixed integers, CPUs as millicores. */

const UNITS: [string, number][] = [
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/** Bytes as the largest exact binary unit (`512Mi`, `1536Ki`), else plain bytes. */
export function memoryQuantity(bytes: number): string {
  for (const [suffix, size] of UNITS) if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  return String(Math.round(bytes));
}

/** CPUs as Kubernetes writes them: whole CPUs plain (`2`), else millicores (`500m`, rounded up to 1m). */
export function cpuQuantity(cpus: number): string {
  const milli = Math.ceil(Math.round(cpus * 1e6) / 1e3);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}
