/** Builds the agent app on a temp state directory with a fixed report; records what the app told its owner. */
import { buildAgent } from '../../../agent/api/app.js';
import { desiredStore, type DesiredStore } from '../../../agent/state/desired-store.js';
import { availabilityStore } from '../../../agent/state/availability.js';
import type { FilesStore } from '../../../agent/state/files-store.js';
import type { DesiredSet, NodeReport } from '../../../shared/wire.js';
import { sampleReport } from '../sample-report.js';
import { type HeartbeatSender, heartbeatSender } from '../../../agent/heartbeat/sender.js';

/** The token every harness app expects. */
export const TOKEN = 'test-token-0123456789abcdef';
/** Headers with the right token. */
export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** An app plus the things it talks to. */
export function harness(
  dir: string,
  opts: { report?: () => Promise<NodeReport>; store?: DesiredStore; files?: FilesStore; heartbeat?: HeartbeatSender | null } = {},
) {
  const changed: DesiredSet[] = [];
  const errors: unknown[] = [];
  const delivered: string[] = [];
  const logged: string[] = [];
  const desired = opts.store ?? desiredStore(dir, null);
  const availability = availabilityStore(dir, 'active');
  const report =
    opts.report ??
    (async () => ({ ...sampleReport(), node: { ...sampleReport().node, available: availability.get() === 'active', availability: availability.get() } }));
  // A real sender (its timer and socket are unref()'d); null: an app without one.
  const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) };
  const heartbeat = opts.heartbeat === null ? undefined : (opts.heartbeat ?? heartbeatSender({ token: TOKEN, report, log }));
  const app = buildAgent({
    token: TOKEN,
    desired,
    availability,
    report,
    heartbeat,
    onDesiredChanged: (s) => changed.push(s),
    onError: (e) => errors.push(e),
    files: opts.files,
    onFileDelivered: (name) => delivered.push(name),
  });
  return { app, desired, availability, changed, errors, delivered, heartbeat, logged };
}

/** A valid desired set. */
export function validSet(generation = 1): DesiredSet {
  return {
    generation,
    containers: [
      {
        name: 'web_api.1',
        stack: 'web',
        service: 'api',
        replica: 1,
        image: 'muster-busybox:1',
        command: ['httpd', '-f', '-p', '8080'],
        env: { MODE: 'prod' },
        ports: [{ container: 8080, host: 18080 }],
        memoryLimit: 64 * 1024 * 1024,
        memoryReservation: 32 * 1024 * 1024,
        cpus: 0.5,
        pidsLimit: 100,
        restartPolicy: 'always',
        healthcheck: { test: ['CMD', 'true'], intervalS: 5, retries: 3 },
        labels: { team: 'web' },
      },
      { name: 'web_api.2', stack: 'web', service: 'api', replica: 2, image: 'muster-busybox:1' },
    ],
  };
}
