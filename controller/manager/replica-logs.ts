/** The last lines of each replica's log, asked of the agents that run them (GET /v1/logs through the manager). */
import type { AgentTarget } from '../fleet/agent-request.js';
import { openLogStream } from '../fleet/agent-streams.js';
import type { PsRow } from '../ops/ps.js';
import type { LogLine } from './view.js';

/** At most this much of one replica's log is read. */
const LOG_CAP_BYTES = 4 << 20;

/** The last `tail` lines of every replica of `rows` that has a container; one line saying why for an agent that refuses. */
export async function replicaLogs(rows: PsRow[], targetOf: (node: string) => AgentTarget | undefined, tail: number): Promise<LogLine[]> {
  const per = await Promise.all(
    rows.map(async (r): Promise<LogLine[]> => {
      const target = r.node === '-' ? undefined : targetOf(r.node);
      if (!target || !r.container) return [];
      const s = await openLogStream(target, r.container, { follow: false, tail, timestamps: false }, 5000);
      if (!s.ok) return [{ replica: r.replica, node: r.node, stream: 'stderr', text: `(no logs: ${s.message})` }];
      const text = await readCapped(s.stream, LOG_CAP_BYTES);
      s.close();
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      return lines.map((line) => ({ replica: r.replica, node: r.node, stream: 'stdout', text: line.replace(/\r$/, '') }));
    }),
  );
  return per.flat();
}

/** The stream's text, up to `cap` bytes. */
function readCapped(stream: NodeJS.ReadableStream, cap: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const end = () => resolve(Buffer.concat(chunks).toString('utf8'));
    stream.on('data', (c: Buffer) => {
      if (size < cap) chunks.push(c.subarray(0, cap - size));
      size += c.length;
    });
    stream.on('end', end);
    stream.on('error', end);
  });
}
