/** nodes.json: every node an agent_check reached, with where and when, written atomically. */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { oneAtATime, writeFileAtomic } from '../../shared/atomic.js';
import { statePaths } from './state-dir.js';

/** One node as last seen. */
export interface NodeRecord {
  address: string;
  port: number;
  /** SHA-256 fingerprint of the certificate the agent presented (colon-separated hex) */
  fingerprint: string;
  /** ISO time of the last answer */
  lastSeen: string;
  agentVersion: string;
  hostname: string;
  arch: string | null;
}

/** The whole file. */
export interface NodesFile {
  version: 1;
  nodes: Record<string, NodeRecord>;
}

/** Reads nodes.json; an absent file is an empty fleet. */
export async function readNodes(stateDir: string): Promise<NodesFile> {
  const path = statePaths(stateDir).nodesJson;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, nodes: {} };
    throw new MusterError('E_FILE', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code}`, { hint: "check the state directory's permissions" });
  }
  try {
    const data = JSON.parse(text) as NodesFile;
    if (data?.version !== 1 || typeof data.nodes !== 'object' || data.nodes === null) throw new Error('not a version 1 nodes file');
    return data;
  } catch (e) {
    throw new MusterError('E_FILE', `${path} is not a nodes file: ${(e as Error).message}`, {
      hint: 'move it away; the next agent check of each node writes it again',
    });
  }
}

// Hosts are checked in parallel: their read-modify-write of nodes.json must not interleave.
const serial = oneAtATime();

/** Records (or replaces) one node's entry. */
export function recordNode(stateDir: string, name: string, record: NodeRecord): Promise<void> {
  return serial(async () => {
    const file = await readNodes(stateDir);
    file.nodes[name] = record;
    const path = statePaths(stateDir).nodesJson;
    await writeFileAtomic(dirname(path), 'nodes.json', `${JSON.stringify(file, null, 2)}\n`, 0o600);
  });
}
