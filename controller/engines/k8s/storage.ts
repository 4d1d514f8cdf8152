/**
 * A service's mounts on Kubernetes: named volumes as PersistentVolumeClaims, binds as hostPath, tmpfs as
 * memory-backed emptyDir, and secrets and configs as Secrets and ConfigMaps mounted file by file (subPath)
 * at their Compose targets.
 */
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { FileDef, FileRef, Service, Stack } from '../../stack/types.js';
import { dnsName } from './names.js';
import { about, type Notes } from './notes.js';

/** The size a claim asks for when the volume's driver_opts name none (k3s's local-path does not enforce it). */
export const DEFAULT_CLAIM_SIZE = '1Gi';
/** The key a secret's or config's content is under in its Secret or ConfigMap. */
export const CONTENT_KEY = 'content';
/** What an exported Secret holds instead of the content unless --show-secrets. */
export const REDACTED = 'redacted by muster export: pass --show-secrets to include it';

/** The pod's volumes and the container's mounts of one service. */
export interface PodStorage {
  volumes: IVolume[];
  mounts: IVolumeMount[];
}

/** The claim name of a top-level volume key. */
export const claimName = (key: string): string | undefined => dnsName(key);

/** Where a service's mounts go; refusals for what does not map. */
export function storageOf(stack: Stack, svc: Service, notes: Notes): PodStorage {
  const out: PodStorage = { volumes: [], mounts: [] };
  const byDockerName = new Map(Object.entries(stack.volumes).map(([key, def]) => [def.name, { key, def }]));
  svc.mounts.forEach((m, i) => {
    const readOnly = m.readOnly === true ? { readOnly: true } : {};
    if (m.type === 'tmpfs') {
      out.volumes.push({ name: `tmp-${i}`, emptyDir: { medium: 'Memory' } });
      out.mounts.push({ name: `tmp-${i}`, mountPath: m.target, ...readOnly });
    } else if (m.type === 'bind') {
      out.volumes.push({ name: `bind-${i}`, hostPath: { path: m.source ?? '/' } });
      out.mounts.push({ name: `bind-${i}`, mountPath: m.target, ...readOnly });
    } else if (m.source === undefined) {
      notes.warnings.push(about(svc.name, `the anonymous volume at ${m.target} is an emptyDir: it goes when the pod goes, as a new container's would`));
      out.volumes.push({ name: `anon-${i}`, emptyDir: {} });
      out.mounts.push({ name: `anon-${i}`, mountPath: m.target, ...readOnly });
    } else {
      const found = byDockerName.get(m.source);
      const claim = found ? claimName(found.def.external ? found.def.name : found.key) : dnsName(m.source);
      if (claim === undefined) {
        notes.refusals.push(
          about(svc.name, `volume "${m.source}" has no valid claim name (lower-case letters, digits and -, starting with a letter): rename it`),
        );
        return;
      }
      out.volumes.push({ name: `vol-${claim}`.slice(0, 63).replace(/-+$/, ''), persistentVolumeClaim: { claimName: claim } });
      out.mounts.push({ name: `vol-${claim}`.slice(0, 63).replace(/-+$/, ''), mountPath: m.target, ...readOnly });
      if (svc.deploy.mode === 'global' || svc.deploy.replicas > 1) {
        notes.warnings.push(
          about(
            svc.name,
            `volume ${claim} is ReadWriteOnce on k3s's local-path: every pod that mounts it must run on the volume's node, and a global service's pods on other nodes stay Pending`,
          ),
        );
      }
    }
  });
  devicesOf(svc, out, notes);
  for (const [kind, refs] of [
    ['secret', svc.secrets],
    ['config', svc.configs],
  ] as const) {
    for (const ref of refs) fileMount(kind, ref, svc, out, notes);
  }
  return out;
}

/**
 * Devices: Kubernetes has no devices key. A privileged container sees every device the node has, so for a
 * privileged service the device is a hostPath (CharDevice) at its container path; without privileged the
 * kernel's device cgroup would keep it out, and it is refused.
 */
function devicesOf(svc: Service, out: PodStorage, notes: Notes): void {
  if (svc.devices.length === 0) return;
  if (!svc.privileged) {
    notes.refusals.push(
      about(
        svc.name,
        `devices (${svc.devices.map((d) => d.host).join(', ')}): Kubernetes has no devices key; add privileged: true (the device is then passed as a hostPath) or use a device plugin`,
      ),
    );
    return;
  }
  svc.devices.forEach((d, i) => {
    out.volumes.push({ name: `dev-${i}`, hostPath: { path: d.host, type: 'CharDevice' } });
    out.mounts.push({ name: `dev-${i}`, mountPath: d.container });
  });
  if (svc.devices.some((d) => d.permissions !== undefined && d.permissions !== 'rwm')) {
    notes.warnings.push(about(svc.name, 'device permissions ignored: a privileged container may read, write and mknod every device'));
  }
}

function fileMount(kind: 'secret' | 'config', ref: FileRef, svc: Service, out: PodStorage, notes: Notes): void {
  const name = dnsName(ref.source);
  if (name === undefined) {
    notes.refusals.push(about(svc.name, `${kind} "${ref.source}" has no valid Kubernetes name: rename it (lower-case letters, digits and -)`));
    return;
  }
  if (ref.uid !== undefined || ref.gid !== undefined)
    notes.warnings.push(about(svc.name, `${kind} ${ref.source}: uid and gid are not set on Kubernetes (the file belongs to root)`));
  const vol = `${kind}-${name}`.slice(0, 63).replace(/-+$/, '');
  const mode = ref.mode !== undefined ? { defaultMode: ref.mode } : {};
  out.volumes.push(kind === 'secret' ? { name: vol, secret: { secretName: name, ...mode } } : { name: vol, configMap: { name, ...mode } });
  out.mounts.push({ name: vol, mountPath: ref.target, subPath: CONTENT_KEY, readOnly: true });
}

/** The claims of the volumes the stack's services mount (external volumes are expected to exist). */
export function claimsOf(stack: Stack, namespace: string, labels: Record<string, string>, notes: Notes): IPersistentVolumeClaim[] {
  const used = new Set(stack.services.flatMap((s) => s.mounts.filter((m) => m.type === 'volume' && m.source).map((m) => m.source)));
  const out: IPersistentVolumeClaim[] = [];
  for (const [key, def] of Object.entries(stack.volumes).sort(([a], [b]) => a.localeCompare(b))) {
    if (!used.has(def.name)) continue;
    const name = claimName(key);
    if (name === undefined) continue; // refused where it is mounted
    if (def.external) {
      notes.warnings.push(`volume ${key} is external: the claim ${claimName(def.name) ?? def.name} must exist in namespace ${namespace}`);
      continue;
    }
    const size = def.driverOpts.size ?? DEFAULT_CLAIM_SIZE;
    if (def.driver !== undefined && def.driver !== 'local')
      notes.warnings.push(`volume ${key}: driver ${def.driver} ignored, the cluster's default storage class provisions it`);
    out.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace, labels },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
    });
  }
  return out;
}

/** Secrets and ConfigMaps for the stack's secrets and configs; a secret's content only when `showSecrets`. */
export function filesOf(stack: Stack, namespace: string, labels: Record<string, string>, showSecrets: boolean): (ISecret | IConfigMap)[] {
  const out: (ISecret | IConfigMap)[] = [];
  const sorted = (r: Record<string, FileDef>) => Object.entries(r).sort(([a], [b]) => a.localeCompare(b));
  for (const [key, def] of sorted(stack.secrets)) {
    const name = dnsName(key);
    if (name === undefined) continue;
    const metadata = { name, namespace, labels, annotations: { 'muster/digest': def.digest } };
    out.push(
      showSecrets
        ? { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data: { [CONTENT_KEY]: def.content.toString('base64') } }
        : { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', stringData: { [CONTENT_KEY]: REDACTED } },
    );
  }
  for (const [key, def] of sorted(stack.configs)) {
    const name = dnsName(key);
    if (name === undefined) continue;
    const text = def.content.toString('utf8');
    const isText = Buffer.from(text, 'utf8').equals(def.content);
    const metadata = { name, namespace, labels, annotations: { 'muster/digest': def.digest } };
    out.push(
      isText
        ? { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [CONTENT_KEY]: text } }
        : { apiVersion: 'v1', kind: 'ConfigMap', metadata, binaryData: { [CONTENT_KEY]: def.content.toString('base64') } },
    );
  }
  return out;
}
