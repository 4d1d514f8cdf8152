/** The agent app with a fake engine behind it, for the logs, images and availability routes. */
import { buildAgent } from '../../../agent/api/app.js';
import { desiredStore } from '../../../agent/state/desired-store.js';
import { availabilityStore } from '../../../agent/state/availability.js';
import type { Platform } from '../../../agent/report/platform.js';
import { FakeDocker } from '../docker/fake-docker.js';
import { sampleReport } from '../sample-report.js';
import { TOKEN } from './harness.js';
import { HEADER_BYTES } from '../../../agent/api/log-frames.js';

/** An app over a FakeDocker of scope `s`, on a node of `platform` (linux/amd64 unless told). */
export function engineApp(dir: string, opts: { platform?: Platform | null; engine?: boolean } = {}) {
  const docker = new FakeDocker('s');
  const errors: unknown[] = [];
  const loads: number[] = [];
  const availability = availabilityStore(dir, 'active');
  const app = buildAgent({
    token: TOKEN,
    desired: desiredStore(dir, null),
    availability,
    report: async () => ({ ...sampleReport(), node: { ...sampleReport().node, available: availability.get() === 'active', availability: availability.get() } }),
    onError: (e) => errors.push(e),
    onImagesLoaded: () => loads.push(docker.loadedBytes),
    ...(opts.engine === false ? {} : { engine: docker }),
    ...(opts.platform === null ? {} : { platform: opts.platform ?? { os: 'linux', arch: 'amd64' } }),
  });
  return { app, docker, availability, errors, loads };
}

/** One Docker frame: stream type, three zero bytes, the size big-endian, the payload. */
export function frame(stream: 0 | 1 | 2, payload: string | Buffer): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const h = Buffer.alloc(HEADER_BYTES);
  h[0] = stream;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
}
