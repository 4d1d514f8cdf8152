/**
 * The deploy end-to-end tests' fleet: lab hosts prepared by the builtin site playbook (Docker and the agent),
 * the busybox test image loaded into each host's dockerd, an inventory naming them, and helpers to run muster
 * in this process, write stack files and read what runs on each host.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { bundleAgent } from '../../../agent/bundle.js';
import { muster } from '../../controller/cli/run-main.js';
import { ensureImage, IMAGE } from '../../agent/e2e/lab.js';
import { exec, startLab, type Lab } from '../../lab/lab.mjs';

/** A command for test containers that stops at once on SIGTERM. */
export const SLEEPER = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;

/** A started lab with its inventory and state directory. */
export interface Fleet {
  lab: Lab;
  tmp: string;
  bundle: string;
  inventory: string;
  hosts: string[];
  /** `muster ARGS` in this process: exit code and everything printed */
  muster(...argv: string[]): Promise<{ code: number; out: string }>;
  /** writes a stack file named `name` in a directory of its own */
  stackFile(name: string, body: string): string;
  /** the running muster containers on a host: name -> id */
  containers(host: string): Promise<Record<string, string>>;
  /** every host's running muster containers, keyed `host/name` */
  everywhere(): Promise<Record<string, string>>;
  /** site on every host, then the test image into each dockerd; the output when site failed */
  prepare(): Promise<{ code: number; out: string }>;
}

/** Starts `count` lab hosts named after `name`, with per-host inventory vars; stop with `fleet.lab.stop()`. */
export async function startFleet(name: string, count: number, hostVars: Record<string, Record<string, unknown>> = {}): Promise<Fleet> {
  const tmp = mkdtempSync(join(tmpdir(), `muster-e2e-${name}-`));
  const bundle = join(tmp, 'muster-agent.mjs');
  await bundleAgent(bundle);
  ensureImage('/var/run/docker.sock');
  const lab = await startLab({ name, count, docker: true, ports: [7443] });
  const inventory = join(tmp, 'inventory.yml');
  const hosts = lab.hosts.map((h) => h.name);
  writeFileSync(
    inventory,
    YAML.stringify({
      all: {
        vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath, site_k3s: false },
        children: {
          agents: {
            hosts: Object.fromEntries(
              lab.hosts.map((h) => [
                h.name,
                { ansible_host: h.address, ansible_port: h.port, muster_agent_address: h.address, muster_agent_port: h.ports[7443], ...hostVars[h.name] },
              ]),
            ),
          },
        },
      },
    }),
  );
  process.env.MUSTER_KNOWN_HOSTS = lab.knownHostsPath;
  process.env.MUSTER_STATE_DIR = join(tmp, 'state');

  const containers = async (host: string): Promise<Record<string, string>> => {
    const r = await exec(lab, host, "docker ps --filter label=io.muster.stack --format '{{.Names}} {{.ID}} {{.State}}'");
    return Object.fromEntries(
      r.stdout
        .split('\n')
        .filter((l) => l.endsWith(' running'))
        .map((l) => l.split(' ').slice(0, 2) as [string, string]),
    );
  };
  return {
    lab,
    tmp,
    bundle,
    inventory,
    hosts,
    muster,
    containers,
    stackFile(stack, body) {
      const p = join(mkdtempSync(join(tmp, 'stack-')), 'stack.yml');
      writeFileSync(p, `name: ${stack}\n${body}`);
      return p;
    },
    async everywhere() {
      const out: Record<string, string> = {};
      for (const h of hosts) for (const [n, id] of Object.entries(await containers(h))) out[`${h}/${n}`] = id;
      return out;
    },
    async prepare() {
      const site = await muster('play', '-i', inventory, 'site', '-e', `agent_bundle=${bundle}`);
      if (site.code !== 0) return site;
      for (const h of lab.hosts) execFileSync('sh', ['-c', `docker save ${IMAGE} | docker exec -i ${h.container} docker load`], { stdio: 'pipe' });
      return site;
    },
  };
}

/** The last lines of a command's output, for a failed assertion's diagnostics. */
export const tail = (out: string): string => out.split('\n').slice(-60).join('\n');
