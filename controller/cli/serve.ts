/**
 * `muster serve -i INVENTORY`: the manager as a daemon. It reads the fleet and the history, serves the API
 * and the dashboard over HTTPS with a certificate from the fleet CA and a token kept in the state directory
 * (manager/), and keeps the fleet healed until SIGINT or SIGTERM.
 */
import { hostname, homedir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { openCa } from '../fleet/ca.js';
import { credentialsIn } from '../fleet/node-credentials.js';
import { stateDirFor } from '../fleet/state-dir.js';
import { buildManagerApi } from '../manager/api/app.js';
import { Manager } from '../manager/manager.js';
import { listOption, parse } from './options.js';
import { serveUsage } from './usage.js';
import { setFlagsFromString } from 'node:v8';

/** How far V8 lets the manager's heap grow past what is live before it collects again, in percent. */
export const HEAP_GROWING_PERCENT = 30;

/** The default address: this machine only; give --listen 0.0.0.0:7480 (and --name) to serve the network. */
export const DEFAULT_LISTEN = '127.0.0.1:7480';

/** Pure: `ADDRESS:PORT` (`[v6]:PORT`) -> its parts, or an error naming the option. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || !host || port < 1 || port > 65535)
    throw new MusterError('E_OPTION', `--listen wants ADDRESS:PORT, such as 127.0.0.1:7480, got "${text}"`, { hint: `usage: ${serveUsage}` });
  return { host, port };
}

/** Pure: the names the manager's certificate must hold for a listen address and the --name values. */
export function certificateNames(host: string, extra: string[], machine: string): string[] {
  const wildcard = host === '0.0.0.0' || host === '::';
  const names = wildcard ? [machine, 'localhost', '127.0.0.1'] : [host, ...(isIP(host) ? [] : ['localhost'])];
  return [...new Set([...names, ...extra])];
}

/** Runs until a signal; the exit code. */
export async function serveCommand(argv: string[], out: (s: string) => void, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { values: o, positionals } = parse(
    argv,
    {
      inventory: { type: 'string', short: 'i' },
      listen: { type: 'string' },
      name: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    serveUsage,
  );
  if (o.help) {
    out(`usage: ${serveUsage}\n`);
    return 0;
  }
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${serveUsage}` });
  if (positionals.length) throw new MusterError('E_OPTION', `unexpected argument "${positionals[0]}"`, { hint: `usage: ${serveUsage}` });
  const { host, port } = parseListen(o.listen ?? DEFAULT_LISTEN);

  // A daemon on a small machine favours memory over collector time: V8 lets its heap grow to about four times
  // what is live between collections by default; HEAP_GROWING_PERCENT bounds that (read after each collection).
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // And its young generation stays at its first size (1 MB semi-spaces) rather than grow to 16 MB: young
  // collections come more often, and with them the native memory of each closed TLS connection is given
  // back (1,000 connections opened at start left 37 MB behind with the default, 5 MB with this).
  setFlagsFromString('--semi-space-growth-factor=1');
  const stateDir = stateDirFor(env, homedir());
  const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  // the agents' heartbeats come to the same address and port number, over UDP
  const manager = await Manager.open({ inventory: o.inventory, env, heartbeats: { host, port }, log: (line) => out(`${stamp()} ${line}\n`) });
  const { ca } = await openCa(stateDir, { persist: true, now: new Date() });
  const dir = join(stateDir, 'manager');
  const names = certificateNames(host, listOption(o.name), hostname());
  const { credentials } = await credentialsIn(ca, dir, 'muster-manager', names, { rotateToken: false, persist: true, now: new Date() });
  const app = buildManagerApi(manager, {
    token: credentials.token,
    https: { key: credentials.keyPem, cert: credentials.certPem },
    onError: (e) => out(`${stamp()} internal error: ${e instanceof Error ? e.message : String(e)}\n`),
  });
  try {
    await app.listen({ host, port });
  } catch (e) {
    throw new MusterError('E_OPTION', `cannot listen on ${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      hint: 'choose another --listen address or port, or stop what uses it',
    });
  }
  const url = `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  out(`muster manager on ${url} (dashboard ${url}/ui/), ${manager.nodes().length} node(s)\n`);
  out(`  token: ${join(dir, 'token')}; CA: ${join(stateDir, 'ca.crt')}\n`);
  const running = manager.run();
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out(`${stamp()} stopping\n`);
  manager.stop();
  await Promise.all([running, app.close()]);
  return 0;
}
