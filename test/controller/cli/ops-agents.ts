/**
 * Real agent apps over HTTPS in this process for the ops commands' tests: each "runs" at once what its
 * desired set holds, reports its availability, and serves logs (`<container> line N`, or a stream that follows
 * until closed). Also the inventory, a stack file and a runner of the CLI with a test io.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buildAgent } from '../../../agent/api/app.js';
import { availabilityStore } from '../../../agent/state/availability.js';
import { desiredStore } from '../../../agent/state/desired-store.js';
import { filesStore } from '../../../agent/state/files-store.js';
import { openCa } from '../../../controller/fleet/ca.js';
import { nodeCredentials } from '../../../controller/fleet/node-credentials.js';
import type { DesiredSet } from '../../../shared/wire.js';
import { containerReport, sampleReport } from '../../agent/sample-report.js';

/** A state directory with a fleet CA, set as MUSTER_STATE_DIR for this process. */
export async function fleetState() {
  const state = mkdtempSync(join(tmpdir(), 'muster-ops-'));
  process.env.MUSTER_STATE_DIR = state;
  const now = new Date();
  const { ca } = await openCa(state, { persist: true, now });
  return { state, ca, now };
}

/** Open follow streams, so a test sees them closed. */
export const following: PassThrough[] = [];

/** A real agent app on HTTPS. */
export async function agent(fleet: Awaited<ReturnType<typeof fleetState>>, name: string) {
  const creds = (await nodeCredentials(fleet.ca, fleet.state, name, [name, '127.0.0.1'], { rotateToken: false, persist: true, now: fleet.now })).credentials;
  const desired = desiredStore(mkdtempSync(join(tmpdir(), `muster-agent-${name}-`)), null);
  const availability = availabilityStore(mkdtempSync(join(tmpdir(), 'muster-av-')), 'active');
  const files = filesStore(mkdtempSync(join(tmpdir(), `muster-files-${name}-`)));
  const containers = () => desired.current()?.containers ?? [];
  const report = async () => ({
    ...sampleReport(),
    collectedAt: new Date().toISOString(),
    node: { ...sampleReport().node, hostname: name, availability: availability.get(), available: availability.get() === 'active' },
    containers: containers().map((c) =>
      containerReport({ name: c.name, stack: c.stack, service: c.service, replica: c.replica, restarts: 0, health: null, oomKills: 0 }),
    ),
  });
  const engine = {
    list: async () => containers().map((c) => ({ id: `${c.name}-id`, name: c.name, specHash: '', state: 'running' as const, restartCount: 0 })),
    logs: async (id: string, o: { follow: boolean; tail?: number }) => {
      const name = id.replace(/-id$/, '');
      const lines = [1, 2, 3].map((i) => `${name} line ${i}\n`).slice(-(o.tail ?? 3));
      if (!o.follow) return { stream: Readable.from(lines.map((l) => Buffer.from(l))), tty: true };
      const s = new PassThrough();
      for (const l of lines) s.write(l);
      following.push(s);
      return { stream: s, tty: true };
    },
  };
  const app = buildAgent(
    { token: creds.token, desired, availability, report, engine: engine as never, files },
    { https: { cert: creds.certPem, key: creds.keyPem } },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  return {
    port: typeof a === 'object' && a ? a.port : 0,
    set: (): DesiredSet | null => desired.current(),
    availability: () => availability.get(),
    /** the names of the secrets and configs it holds */
    files: async () => (await files.list()).map((f) => f.name).sort(),
    close: () => app.close(),
  };
}

/** An inventory of agents on 127.0.0.1 at these ports. */
export function inventory(dir: string, ports: Record<string, number>): string {
  const p = join(dir, `inv-${Object.values(ports).join('-')}.yml`);
  const hosts = Object.entries(ports)
    .map(([n, port]) => `        ${n}: { muster_agent_port: ${port} }`)
    .join('\n');
  writeFileSync(p, `all:\n  vars:\n    ansible_host: 127.0.0.1\n  children:\n    agents:\n      hosts:\n${hosts}\n`);
  return p;
}

/** A stack file `demo` with web (replicas, an env VERSION, a secret) and a global mon. */
export function stackFile(replicas: number, version = 1): string {
  const dir = mkdtempSync(join(tmpdir(), 'muster-stack-'));
  const p = join(dir, 'stack.yml');
  writeFileSync(join(dir, 'token.txt'), 's3cret');
  writeFileSync(
    p,
    `name: demo
secrets:
  token: { file: token.txt }
services:
  web:
    image: muster-busybox:1
    environment: { VERSION: "${version}" }
    secrets: [token]
    deploy:
      replicas: ${replicas}
      update_config: { monitor: 0s }
      rollback_config: { monitor: 0s, order: start-first }
  mon:
    image: muster-busybox:1
    deploy: { mode: global }
`,
  );
  return p;
}

export { muster } from './run-main.js';

/** The names of a set without their hash (`demo_web.1`). */
export const names = (s: DesiredSet | null) => (s?.containers ?? []).map((c) => c.name.replace(/\.[0-9a-f]{8}$/, '')).sort();
