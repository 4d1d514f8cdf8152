/**
 * agent_credentials: installs the node's agent credentials in `dir` (ca.crt, tls.crt 0644; tls.key, token
 * 0600; root-owned). The certificate and token are issued or reused from the controller's state directory
 * (controller/fleet/); a file is written only when its sha256 or attributes differ. Neither the key nor the
 * token ever appears in a result, a diff or a log.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import { join, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import { apply } from '../planned.js';
import type { ArgSpecs, Args, Module, ModuleResult, Plan, Step } from '../types.js';
import { openCa } from '../../fleet/ca.js';
import { nodeCredentials, type CredentialsOutcome } from '../../fleet/node-credentials.js';
import { stateDirFor } from '../../fleet/state-dir.js';
import { badCertName, certNamesFor, nodeName } from '../../fleet/target.js';
import { notAfter } from '../../fleet/x509.js';
import { contextLines, digestLine, first, parseContext, parseStat, probeFailure, probeLines, statLine, type FileStat } from '../files/probe.js';

const args: ArgSpecs = {
  dir: { type: 'path', default: '/etc/muster-agent' },
  names: { type: 'list', elements: 'str', default: [] },
  rotate_token: { type: 'bool', default: false },
};

/** One file to install: its name in dir, bytes and mode. */
export interface WantedFile {
  name: 'ca.crt' | 'tls.crt' | 'tls.key' | 'token';
  content: Buffer;
  mode: number;
}

/** What the probe found on the host. */
export interface InstalledState {
  error?: string;
  uid: number;
  dir?: FileStat;
  files: Map<string, { stat?: FileStat; sha256?: string }>;
}

const FILES = ['ca.crt', 'tls.crt', 'tls.key', 'token'] as const;

/** The files to install for a set of credentials. */
export function wantedFiles(caPem: string, c: CredentialsOutcome['credentials']): WantedFile[] {
  return [
    { name: 'ca.crt', content: Buffer.from(caPem), mode: 0o644 },
    { name: 'tls.crt', content: Buffer.from(c.certPem), mode: 0o644 },
    { name: 'tls.key', content: Buffer.from(c.keyPem), mode: 0o600 },
    { name: 'token', content: Buffer.from(`${c.token}\n`), mode: 0o600 },
  ];
}

/** The probe: uid, the directory's stat, each file's stat and sha256. */
export function credentialsProbe(dir: string): Script {
  return join([
    contextLines(),
    statLine('dir', dir, false),
    ...FILES.flatMap((f) => [statLine(`stat:${f}`, posix.join(dir, f), false), digestLine(`sha256:${f}`, posix.join(dir, f), 'sha256')]),
  ]);
}

/** Parses credentialsProbe's output. */
export function parseInstalled(out: ExecResult): InstalledState {
  const lines = probeLines(out.stdout);
  return {
    error: probeFailure(out),
    uid: parseContext(lines).uid,
    dir: parseStat(first(lines, 'dir')),
    files: new Map(FILES.map((f) => [f, { stat: parseStat(first(lines, `stat:${f}`)), sha256: first(lines, `sha256:${f}`) }])),
  };
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const rootOwned = (s: FileStat): boolean => s.uid === 0 && s.gid === 0;

/** Pure: which files to (re)write and whether the directory needs making, from what the host has. */
export function planCredentials(dir: string, want: WantedFile[], s: InstalledState): Plan {
  if (s.error) return { kind: 'fail', msg: s.error };
  if (s.uid !== 0) return { kind: 'fail', msg: `agent_credentials installs root-owned files in ${dir}: run it as root (become: true)` };
  if (s.dir && s.dir.kind !== 'directory') return { kind: 'fail', msg: `${dir} exists and is not a directory` };
  const steps: Step[] = [];
  if (!s.dir || (s.dir.mode & 0o7777) !== 0o755 || !rootOwned(s.dir)) steps.push({ exec: sh`mkdir -p ${dir} && chown root:root ${dir} && chmod 0755 ${dir}` });
  const written: string[] = [];
  for (const f of want) {
    const have = s.files.get(f.name);
    const same = have?.stat?.kind === 'file' && have.sha256 === sha256(f.content) && (have.stat.mode & 0o7777) === f.mode && rootOwned(have.stat);
    if (same) continue;
    written.push(f.name);
    steps.push({ put: { content: f.content, dest: posix.join(dir, f.name), mode: f.mode.toString(8).padStart(4, '0'), owner: 'root', group: 'root' } });
  }
  if (!steps.length) return { kind: 'noop', reason: `credentials in ${dir} are up to date`, data: { changed_files: [] } };
  return { kind: 'change', steps, msg: written.length ? `wrote ${written.join(', ')} in ${dir}` : `fixed ${dir}`, data: { changed_files: written } };
}

/** The agent_credentials module. */
export const agentCredentials: Module = {
  name: 'agent_credentials',
  summary: "Issue or reuse this node's agent TLS certificate (signed by the fleet CA) and token, and install them",
  args,
  checkMode: true,
  validate(a: Args) {
    // names still holding a template are checked when run, once rendered
    const names = (Array.isArray(a.names) ? a.names : []).filter((n): n is string => typeof n === 'string' && !n.includes('{{'));
    const bad = names.map((n) => badCertName(n.trim())).find(Boolean);
    return bad ? `names: ${bad}` : undefined;
  },
  async run(a, ctx): Promise<ModuleResult> {
    const dir = String(a.dir);
    const node = nodeName(ctx.vars, ctx.host);
    const names = certNamesFor(ctx.vars, ctx.host, Array.isArray(a.names) ? a.names : []);
    const bad = names.map(badCertName).find(Boolean);
    if (bad) return { changed: false, failed: true, msg: `cannot put this name in a certificate: ${bad}` };
    const stateDir = stateDirFor(process.env, homedir());
    const now = new Date(ctx.now());
    const { ca } = await openCa(stateDir, { persist: !ctx.check, now });
    const outcome = await nodeCredentials(ca, stateDir, node, names, { rotateToken: a.rotate_token === true, persist: !ctx.check, now });
    const state = parseInstalled(await ctx.exec(credentialsProbe(dir)));
    const result = await apply(planCredentials(dir, wantedFiles(ca.certPem, outcome.credentials), state), ctx);
    const cert = new X509Certificate(outcome.credentials.certPem);
    result.data = {
      ...result.data,
      dir,
      state_dir: stateDir,
      names,
      cert_fingerprint: cert.fingerprint256,
      cert_not_after: notAfter(cert).toISOString(),
      cert_issued: outcome.issued ?? null,
      token_made: outcome.tokenMade ?? null,
    };
    return result;
  },
};
