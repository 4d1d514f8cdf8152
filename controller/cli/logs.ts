/**
 * `muster logs -i INV SERVICE [-f] [--tail N] [--timestamps]`: the logs of every replica of the service, from
 * the agents, interleaved line by line as they come, each prefixed `web.3@node-1 | `. With -f it follows
 * until Ctrl-C, which closes every stream and exits 0.
 */
import { StringDecoder } from 'node:string_decoder';
import { MusterError } from '../../shared/errors.js';
import { slotLabel } from '../deploy/names.js';
import { type LogStream, openLogStream } from '../fleet/agent-streams.js';
import { type OpsIo, defaultIo, readContext } from '../ops/context.js';
import { LineSplitter, logPrefix } from '../ops/log-lines.js';
import { resolveService } from '../ops/services-known.js';
import { logsVia } from '../manager/client/commands.js';
import { managerRoute, refuseThroughManager } from './context.js';
import { intOption, parse } from './options.js';
import { logsUsage } from './usage.js';

/** The surroundings of logs: the common ones and how an interrupt (Ctrl-C) arrives. */
export interface LogsIo extends OpsIo {
  /** calls `stop` on an interrupt; returns what unregisters it */
  onInterrupt(stop: () => void): () => void;
}

const defaultLogsIo = (out: (s: string) => void): LogsIo => ({
  ...defaultIo(out),
  onInterrupt(stop) {
    process.once('SIGINT', stop);
    return () => process.removeListener('SIGINT', stop);
  },
});

/** Pure: --tail N: a count, 0, or undefined for all. */
const tailOf = (v: string | undefined): number | undefined => (v === undefined || v === 'all' ? undefined : v === '0' ? 0 : intOption('tail', v, 0));

/** Streams the logs; exit 0 (also after Ctrl-C), 2 no replica to read, 4 an agent did not answer. */
export async function logsCommand(argv: string[], out: (s: string) => void, io: LogsIo = defaultLogsIo(out)): Promise<number> {
  const options = {
    inventory: { type: 'string', short: 'i' },
    follow: { type: 'boolean', short: 'f' },
    tail: { type: 'string', short: 'n' },
    timestamps: { type: 'boolean', short: 't' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const via = await managerRoute(argv, options, logsUsage, io.env);
  if (via) {
    refuseThroughManager(via.values, ['follow', 'timestamps'], 'logs');
    if (via.positionals.length !== 1) throw new MusterError('E_OPTION', `one service, got ${via.positionals.length}`, { hint: `usage: ${logsUsage}` });
    return logsVia(via.client, via.positionals[0], tailOf(via.values.tail as string | undefined), io);
  }
  const { values: o, positionals } = parse(argv, options, logsUsage);
  if (o.help) return (io.out(`usage: ${logsUsage}\n`), 0);
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${logsUsage}` });
  if (positionals.length !== 1) throw new MusterError('E_OPTION', `one service, got ${positionals.length}`, { hint: `usage: ${logsUsage}` });
  const tail = tailOf(o.tail);
  const ctx = await readContext(o.inventory, io.env, 10_000);
  const ref = resolveService(positionals[0], ctx.known);
  let code = 0;
  for (const n of ctx.fleet.filter((x) => x.failure)) {
    io.out(`[UNREACHABLE] ${n.name}: ${n.failure?.message} (its replicas' logs are missing)\n  fix: ${n.failure?.hint}\n`);
    code = 4;
  }
  const sources = ctx.fleet.flatMap((n) =>
    n.target && n.report
      ? n.report.containers
          .filter((c) => c.stack === ref.stack && c.service === ref.service)
          .map((c) => ({ node: n.name, target: n.target!, name: c.name, prefix: logPrefix(slotLabel(ref.service, c.replica ?? 0), n.name) }))
      : [],
  );
  if (!sources.length) {
    io.out(`no container of ${ref.stack}_${ref.service} on the nodes that answered\n`);
    return code || 2;
  }
  const opened = await Promise.all(
    sources.map(async (s) => ({ ...s, answer: await openLogStream(s.target, s.name, { follow: !!o.follow, tail, timestamps: !!o.timestamps }, 10_000) })),
  );
  const streams: LogStream[] = [];
  for (const s of opened) {
    if (s.answer.ok) streams.push(s.answer);
    else if (s.answer.kind === 'bad-answer') io.out(`[WARNING]: ${s.node}: ${s.answer.message}\n  ${s.answer.hint.replace('INVENTORY', ctx.inventory)}\n`);
    else {
      io.out(`[UNREACHABLE] ${s.node}: ${s.answer.message}\n  fix: ${s.answer.hint.replace('INVENTORY', ctx.inventory)}\n`);
      code = 4;
    }
  }
  let interrupted = false;
  const closeAll = (): void => {
    interrupted = true;
    for (const s of streams) s.close();
  };
  const unregister = io.onInterrupt(closeAll);
  try {
    await Promise.all(
      opened.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (!s.answer.ok) return resolve();
            const lines = new LineSplitter(s.prefix);
            const text = new StringDecoder('utf8');
            const stream = s.answer.stream;
            stream.on('data', (chunk: Buffer) => {
              const piece = lines.push(text.write(chunk));
              if (piece) io.out(piece);
            });
            let ended = false;
            const end = (): void => {
              if (ended) return;
              ended = true;
              const last = lines.push(text.end()) + lines.end();
              if (last) io.out(last);
              resolve();
            };
            stream.on('end', end);
            stream.on('close', end);
            stream.on('error', () => {
              if (!interrupted) {
                io.out(`[WARNING]: the log stream of ${s.name} on ${s.node} broke off\n`);
              }
              end();
            });
          }),
      ),
    );
  } finally {
    unregister();
  }
  return code;
}
