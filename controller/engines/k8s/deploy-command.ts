/**
 * `muster deploy --engine k3s STACK`: the stack translated, its nodes labelled from the agents' reports
 * (with -i INVENTORY), applied with server-side apply through the kubeconfig the k3s playbook fetched,
 * pruned, and waited for. Exit: 0 rolled out; 2 not rolled out in time; 1 refused or an API error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatPos, MusterError } from '../../../shared/errors.js';
import { parseYaml, readText } from '../../../shared/yaml.js';
import { intOption, parse } from '../../cli/options.js';
import { readFleet } from '../../deploy/fleet.js';
import { rowFromReport } from '../../fleet/nodes-view.js';
import { stateDirFor } from '../../fleet/state-dir.js';
import { loadStack } from '../../stack/load.js';
import { refuseWhenStrict } from '../strict.js';
import { httpsApi, type KubeApi } from './api.js';
import { applyStack } from './apply.js';
import { accessOf } from './kubeconfig.js';
import { translate } from './manifests.js';
import { applyNodeLabels, type NodeFacts, nodeLabels } from './node-labels.js';
import { describe } from './paths.js';
import { recordK3sStack } from './record.js';
import { warningsFor } from '../../stack/warnings.js';

export const k3sDeployUsage =
  'muster deploy --engine k3s STACK [-i INVENTORY] [--kubeconfig FILE] [--context NAME] [--name NAME] [--strict] [--force-conflicts] [--dry-run] [-T SECONDS]';

/** What the command needs from its surroundings. */
export interface K3sDeployIo {
  out(s: string): void;
  env: Record<string, string | undefined>;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** tests give a recorder or a fake; default: HTTPS per the kubeconfig */
  api?: KubeApi;
}

/** The kubeconfig path: --kubeconfig, else kubeconfig-k3s.yaml in the state directory (where the k3s playbook puts it). */
export const kubeconfigPath = (given: string | undefined, env: Record<string, string | undefined>): string =>
  given ?? join(stateDirFor(env, homedir()), 'kubeconfig-k3s.yaml');

/** Runs the command; resolves with the exit code. */
export async function k3sDeploy(argv: string[], io: K3sDeployIo): Promise<number> {
  const options = {
    engine: { type: 'string' },
    inventory: { type: 'string', short: 'i' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    name: { type: 'string' },
    strict: { type: 'boolean' },
    'force-conflicts': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    timeout: { type: 'string', short: 'T' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const { values: o, positionals } = parse(argv, options, k3sDeployUsage);
  if (o.help) {
    io.out(`usage: ${k3sDeployUsage}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new MusterError('E_OPTION', `one stack file, got ${positionals.length}`, { hint: `usage: ${k3sDeployUsage}` });
  const timeoutS = intOption('timeout', o.timeout, 300);
  const stack = loadStack(positionals[0], { name: o.name, env: io.env, strict: o.strict });
  for (const w of warningsFor(stack, 'k8s')) io.out(`[WARNING]: ${w.pos ? `${formatPos(w.pos)}: ` : ''}${w.message}\n`);
  const t = translate(stack, { showSecrets: o['dry-run'] !== true });
  if (t.refusals.length > 0) {
    throw new MusterError('E_SCHEMA', `${stack.file} cannot run on Kubernetes as written:\n  - ${t.refusals.join('\n  - ')}`, {
      hint: 'change what is named above, or deploy it with muster itself (no --engine)',
    });
  }
  refuseWhenStrict(o.strict, 'Kubernetes', stack.name, t.warnings);
  for (const w of t.warnings) io.out(`[WARNING]: ${w}\n`);
  if (o['dry-run']) {
    for (const obj of t.objects) io.out(`would apply: ${describe(obj)}\n`);
    io.out('dry run: nothing was written (muster export --engine k8s STACK prints the manifests)\n');
    return 0;
  }
  const api = io.api ?? apiFromKubeconfig(kubeconfigPath(o.kubeconfig, io.env), o.context);
  if (o.inventory) await labelNodes(api, o.inventory, io);
  else io.out("node labels: not updated (pass -i INVENTORY to label the nodes from the agents' reports)\n");
  const r = await applyStack(api, stack.name, t, {
    force: o['force-conflicts'] === true,
    out: io.out,
    now: io.now,
    sleep: io.sleep,
    timeoutMs: timeoutS * 1000,
  });
  // applied: ps, services and rm find the stack (and this cluster) without --engine from now on
  await recordK3sStack(io.env, {
    stack: stack.name,
    namespace: t.namespace,
    ...(o.kubeconfig ? { kubeconfig: resolve(o.kubeconfig) } : {}),
    ...(o.context ? { context: o.context } : {}),
  });
  if (r.notReady.length > 0) {
    io.out(`not rolled out after ${timeoutS}s: ${r.notReady.join(', ')}\n  see: kubectl -n ${t.namespace} describe pods -l muster/stack=${stack.name}\n`);
    return 2;
  }
  io.out(`stack ${stack.name}: ${r.applied.length} object(s) applied, ${r.pruned.length} pruned, every workload rolled out\n`);
  return 0;
}

/** A KubeApi through a kubeconfig file (its current context, or `context`); a missing file is a clear error. */
export function apiFromKubeconfig(path: string, context: string | undefined): KubeApi {
  if (!existsSync(path)) {
    throw new MusterError('E_FILE', `no kubeconfig at ${path}`, {
      hint: 'run the k3s playbook (muster play -i INV k3s), which fetches it there, or pass --kubeconfig FILE',
    });
  }
  const doc = parseYaml(readText(path, path), path, 'compose');
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      throw new MusterError('E_FILE', `${path} names ${p}, which cannot be read: ${(e as NodeJS.ErrnoException).code}`, {
        hint: 'fetch the kubeconfig again with the k3s playbook',
      });
    }
  };
  return httpsApi(accessOf(doc, path, read, context));
}

// Labels every answering agent's node; nodes that do not answer keep their labels, and are named.
async function labelNodes(api: KubeApi, inventory: string, io: K3sDeployIo): Promise<void> {
  const fleet = await readFleet({ inventory, timeoutMs: 10_000, env: io.env });
  const facts: NodeFacts[] = [];
  for (const n of fleet) {
    if (!n.report) {
      io.out(`[WARNING]: node ${n.name} did not answer (${n.failure?.message ?? 'no report'}): its labels are not updated\n`);
      continue;
    }
    const row = rowFromReport({ node: n.name, address: n.address, port: n.port }, n.report, n.reserveBytes, io.now());
    const f: NodeFacts = {
      hostname: row.hostname,
      arch: row.arch,
      memoryEnforced: row.memoryLimits.enforced,
      allocatableBytes: row.memory.allocatableBytes,
      labels: n.report.node.labels ?? {},
    };
    for (const k of nodeLabels(f).skipped) io.out(`[WARNING]: node ${n.name}: label ${k} is no valid Kubernetes label, not set\n`);
    facts.push(f);
  }
  const r = await applyNodeLabels(api, facts);
  io.out(
    `node labels: ${r.labelled.length} node(s) labelled${r.missing.length > 0 ? `; not in the cluster: ${r.missing.join(', ')} (is k3s on them?)` : ''}\n`,
  );
}
