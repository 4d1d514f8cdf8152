/**
 * `docker_volume`: a named volume present with its driver, driver options and labels (or absent). An
 * existing volume that differs is recreated only as `recreate` says (never, by default: its data would go).
 */
import { cmd } from '../system/probe.js';
import type { Args, ArgSpecs, Plan, PlannedModule } from '../types.js';
import { differingKeys, dockerSection, hasDocker, inspected, inspecting, inspectSection, NO_DOCKER, pairs, sectionsOf, strMap, withSbin } from './cli.js';

const args: ArgSpecs = {
  volume_name: { type: 'str', required: true, aliases: ['name'] },
  driver: { type: 'str', default: 'local' },
  driver_options: { type: 'dict', default: {} },
  labels: { type: 'dict' },
  recreate: { type: 'str', choices: ['always', 'never', 'options-changed'], default: 'never' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  docker_host: { type: 'str', aliases: ['docker_url'], ignored: 'the docker CLI on the host talks to its own daemon' },
  debug: { type: 'bool', ignored: 'the commands run are shown with -vv' },
};

/** What the probe found. */
export interface VolumeState {
  docker: boolean;
  /** `docker volume inspect` of the volume, undefined when there is none */
  volume?: Record<string, unknown>;
}

/** The probe: the docker CLI and the volume. */
export function probeVolume(a: Args) {
  return withSbin(dockerSection(), inspectSection('volume', 'volume', String(a.volume_name)));
}

/** Pure: probe output -> state. */
export function parseVolume(stdout: string): VolumeState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  return { docker: hasDocker(s), volume: inspected(s.get('volume')) };
}

/** What differs between the volume and the arguments (driver, each given option and label). */
export function volumeDifferences(a: Args, v: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (a.driver !== undefined && v.Driver !== a.driver) out.push(`driver (${String(v.Driver)} -> ${String(a.driver)})`);
  for (const k of differingKeys(strMap(a.driver_options), v.Options as Record<string, unknown>)) out.push(`driver_options.${k}`);
  for (const k of differingKeys(strMap(a.labels), v.Labels as Record<string, unknown>)) out.push(`labels.${k}`);
  return out;
}

function createVolume(a: Args) {
  const opts = pairs(strMap(a.driver_options)).flatMap((o) => ['--opt', o]);
  const labels = pairs(strMap(a.labels)).flatMap((l) => ['--label', l]);
  return withSbin(cmd('docker', 'volume', 'create', '--driver', String(a.driver), opts, labels, String(a.volume_name)));
}

function describe(a: Args): string {
  return `${JSON.stringify({ name: a.volume_name, driver: a.driver, driver_options: strMap(a.driver_options), labels: strMap(a.labels) }, null, 2)}\n`;
}

/** Pure: what to do. */
export function planVolume(a: Args, s: VolumeState): Plan {
  if (!s.docker) return { kind: 'fail', msg: NO_DOCKER };
  const name = String(a.volume_name);
  const v = s.volume;
  const rm = withSbin(cmd('docker', 'volume', 'rm', name));
  if (a.state === 'absent') {
    if (!v) return { kind: 'noop', reason: `volume ${name} does not exist`, data: { volume: {} } };
    return { kind: 'change', steps: [{ exec: rm }], diff: [{ before: `volume ${name}\n`, after: '' }], msg: `volume ${name} removed`, data: { volume: {} } };
  }
  if (!v) {
    return {
      kind: 'change',
      steps: [{ exec: createVolume(a) }],
      diff: [{ before: '', after: describe(a) }],
      msg: `volume ${name} created`,
      data: { volume: {} },
    };
  }
  const differs = volumeDifferences(a, v);
  const recreate = a.recreate === 'always' || (a.recreate === 'options-changed' && differs.length > 0);
  if (!recreate) {
    const reason = differs.length
      ? `volume ${name} exists; it differs in ${differs.join(', ')} but recreate=never keeps it (and its data)`
      : `volume ${name} exists as wanted`;
    return { kind: 'noop', reason, data: { volume: v } };
  }
  const why = a.recreate === 'always' ? 'recreate=always' : `it differs in ${differs.join(', ')}`;
  return {
    kind: 'change',
    steps: [{ exec: rm }, { exec: createVolume(a) }],
    diff: [{ before: `${JSON.stringify({ name, driver: v.Driver, driver_options: v.Options ?? {}, labels: v.Labels ?? {} }, null, 2)}\n`, after: describe(a) }],
    msg: `volume ${name} recreated (${why})`,
    data: { volume: v },
  };
}

const volumePlanned: PlannedModule<VolumeState> = {
  name: 'docker_volume',
  args,
  checkMode: true,
  probe: probeVolume,
  parse: (out) => parseVolume(out.stdout),
  plan: planVolume,
};

/** The `docker_volume` module. */
export const dockerVolume = inspecting(volumePlanned, 'volume', (a) =>
  a.state === 'absent' ? undefined : withSbin(cmd('docker', 'volume', 'inspect', String(a.volume_name))),
);
