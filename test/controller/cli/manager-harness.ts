/**
 * A real manager API (buildManagerApi over the stateful fake view) listening on 127.0.0.1 with HTTPS, its
 * certificate from a throwaway fleet CA kept in a temp state directory, with the token where `muster serve`
 * writes it (manager/token): what the CLI's manager tests run the commands against, in this process.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newCa } from '../../../controller/fleet/ca.js';
import { issueCertificate, keyPem, newKeyPair } from '../../../controller/fleet/x509.js';
import { buildManagerApi } from '../../../controller/manager/api/app.js';
import { FakeView } from '../manager/api/fake-view.js';

export const TOKEN = 'cli-manager-token-0123456789abcdef';

/** A certificate for 127.0.0.1 and localhost from `ca`, and its key. */
export function serverCert(ca: ReturnType<typeof newCa>, names = ['127.0.0.1', 'localhost']) {
  const now = new Date();
  const keys = newKeyPair();
  const cert = issueCertificate({
    name: names[0],
    publicKey: keys.publicKey,
    issuer: { cert: ca.cert, key: ca.key },
    notBefore: new Date(+now - 60_000),
    notAfter: new Date(+now + 86_400_000),
    ca: false,
    sans: names,
  });
  return { cert, key: keyPem(keys.privateKey) };
}

/** A state directory with the fleet CA and the manager's token, and the API listening over HTTPS. */
export async function startManager(opts: { token?: string; names?: string[] } = {}) {
  const stateDir = mkdtempSync(join(tmpdir(), 'muster-cli-manager-'));
  const ca = newCa(new Date());
  writeFileSync(join(stateDir, 'ca.crt'), ca.certPem);
  mkdirSync(join(stateDir, 'manager'), { recursive: true });
  writeFileSync(join(stateDir, 'manager', 'token'), `${opts.token ?? TOKEN}\n`, { mode: 0o600 });
  const view = new FakeView();
  const { cert, key } = serverCert(ca, opts.names);
  const app = buildManagerApi(view, { token: opts.token ?? TOKEN, https: { key, cert }, failureDelayMs: 0, heartbeatMs: 200 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return { app, view, stateDir, ca, url: `https://127.0.0.1:${port}`, port };
}

/** Sets the environment variables for the test's duration (undefined removes one), restoring them after. */
export function withEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  set(vars);
  return () => set(saved);
}
