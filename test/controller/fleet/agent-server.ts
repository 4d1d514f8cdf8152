/** The real agent app served over HTTPS on 127.0.0.1 with given credentials, and sockets that misbehave. */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAgent } from '../../../agent/api/app.js';
import { availabilityStore } from '../../../agent/state/availability.js';
import { desiredStore } from '../../../agent/state/desired-store.js';
import type { NodeReport } from '../../../shared/wire.js';
import { sampleReport } from '../../agent/sample-report.js';

/** A listening agent. */
export interface ServedAgent {
  port: number;
  close(): Promise<void>;
}

/** Serves the agent app with this certificate, key and token (on `port`, else any free one); the sample report unless given. */
export async function serveAgent(o: { cert: string; key: string; token: string; report?: () => NodeReport; port?: number }): Promise<ServedAgent> {
  const dir = mkdtempSync(join(tmpdir(), 'muster-agent-state-'));
  const app = buildAgent(
    { token: o.token, desired: desiredStore(dir, null), availability: availabilityStore(dir, 'active'), report: async () => (o.report ?? sampleReport)() },
    { https: { cert: o.cert, key: o.key } },
  );
  await app.listen({ host: '127.0.0.1', port: o.port ?? 0 });
  const address = app.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, close: () => app.close() };
}

/** A TCP server that accepts connections and never says a word. */
export async function silentServer(): Promise<ServedAgent> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = await silentServer();
  await s.close();
  return s.port;
}
