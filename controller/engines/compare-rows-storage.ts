/** The engine table's rows for what a service mounts: named volumes, binds, tmpfs, secrets and configs. */
import type { Row } from './compare.js';

const VOLUME = { volumes: { data: {} } };
const SECRET = { secrets: { token: { environment: 'COMPARE_TOKEN' } } };
const CONFIG = { configs: { conf: { content: 'x = 1\n' } } };

/** Rows of a service's mounts. */
export const STORAGE_ROWS: Row[] = [
  {
    feature: 'named volume, 2 replicas',
    service: { volumes: ['data:/data'], deploy: { replicas: 2 } },
    base: { deploy: { replicas: 2 } },
    top: VOLUME,
    why: {
      native: { added: 'replicas pinned to the node that holds the volume (`--move` lets them go)' },
      swarm: { warned: 'stays where a replica first ran; a replica elsewhere starts with an empty one' },
      k8s: { warned: "a ReadWriteOnce claim on local-path: every pod must run on the volume's node" },
    },
  },
  {
    feature: 'external named volume',
    service: { volumes: ['ext:/data'] },
    top: { volumes: { ext: { external: true } } },
    why: {
      native: { added: 'used as it is on each node; replicas pinned to the node that holds it' },
      swarm: { warned: 'used as it is; it stays on the node where a replica first ran' },
      k8s: { warned: 'the claim must already exist in the namespace' },
    },
  },
  {
    feature: 'bind mount',
    service: { volumes: ['/srv/app:/data:ro'] },
    why: {
      native: { native: 'a Docker bind mount' },
      swarm: { native: 'a `bind` mount' },
      k8s: { native: 'a `hostPath` volume' },
    },
  },
  {
    feature: '`tmpfs`',
    service: { tmpfs: ['/cache'] },
    why: {
      native: { native: 'a Docker tmpfs' },
      swarm: { native: 'a `tmpfs` mount' },
      k8s: { native: 'a memory `emptyDir`' },
    },
  },
  {
    feature: '`secrets`',
    service: { secrets: ['token'] },
    top: SECRET,
    why: {
      native: { native: 'the agent writes the file on the node and mounts it at `/run/secrets/token`' },
      swarm: { native: 'a Swarm secret `cmp_token`' },
      k8s: { native: 'a Secret, mounted with `subPath`' },
    },
  },
  {
    feature: 'secret `uid`, `gid`, `mode`',
    service: { secrets: [{ source: 'token', uid: '1000', gid: '1000', mode: 0o400 }] },
    base: { secrets: ['token'] },
    top: SECRET,
    why: {
      native: { native: "the file's owner and mode" },
      swarm: { native: '`File.UID`, `GID`, `Mode`' },
      k8s: { warned: '`mode` as `defaultMode`; uid and gid are not set (root owns the file)' },
    },
  },
  {
    feature: '`configs`',
    service: { configs: [{ source: 'conf', target: '/etc/app.conf' }] },
    top: CONFIG,
    why: {
      native: { native: 'the agent writes the file on the node and mounts it at the target' },
      swarm: { native: 'a Swarm config `cmp_conf`' },
      k8s: { native: 'a ConfigMap, mounted with `subPath`' },
    },
  },
];
