/**
 * What the dashboard's browser test and its screenshot script share: the real API over HTTPS (a certificate
 * from a throwaway fleet CA) on 127.0.0.1 over a fake manager, and Debian's chromium driven by playwright-core.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { buildManagerApi } from '../../../controller/manager/api/app.js';
import { newCa } from '../../../controller/fleet/ca.js';
import { issueCertificate, keyPem, newKeyPair } from '../../../controller/fleet/x509.js';
import type { ManagerView } from '../../../controller/manager/view.js';
import { FakeView } from '../../controller/manager/api/fake-view.js';

/** The system browser the test drives (Debian's package). */
export const CHROMIUM = process.env.MUSTER_CHROMIUM ?? '/usr/bin/chromium';
export const TOKEN = 'dashboard-e2e-token-0123456789';

/** Why the browser tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no browser at ${CHROMIUM} (apt-get install -y chromium, or set MUSTER_CHROMIUM)`;
  return undefined;
}

/** The API over a fake view, listening with HTTPS on 127.0.0.1 (a random port). */
export async function startDashboard() {
  const view = new FakeView();
  return { ...(await serveView(view)), view };
}

/** The API over any view (the fake, or a real Manager), listening with HTTPS on 127.0.0.1 (a random port). */
export async function serveView(view: ManagerView) {
  const now = new Date();
  const ca = newCa(now);
  const keys = newKeyPair();
  const certPem = issueCertificate({
    name: '127.0.0.1',
    publicKey: keys.publicKey,
    issuer: { cert: ca.cert, key: ca.key },
    notBefore: new Date(+now - 60_000),
    notAfter: new Date(+now + 86_400_000),
    ca: false,
    sans: ['127.0.0.1', 'localhost'],
  });
  const app = buildManagerApi(view, { token: TOKEN, https: { key: keyPem(keys.privateKey), cert: certPem }, heartbeatMs: 1000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  // The browser trusts exactly this certificate (its public key's SHA-256), as it would trust the fleet CA.
  const spki = createHash('sha256')
    .update(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  return { app, url: `https://127.0.0.1:${port}`, spki, caPem: ca.certPem };
}

/** Headless chromium that trusts the certificate with public key hash `spki`. */
export function launch(spki: string): Promise<Browser> {
  const args = [`--ignore-certificate-errors-spki-list=${spki}`];
  // As root, chromium refuses to start with its sandbox.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: CHROMIUM, args, headless: true });
}
