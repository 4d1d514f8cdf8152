/**
 * Which engine runs a command: `--engine muster|swarm|k3s` (or `--engine=X`); without it, the record of the
 * stack argument (STATE/swarm/<stack>.json or STATE/k3s/<stack>.json, written by deploy --engine swarm|k3s),
 * else muster's own scheduler. The choice is pure over a lookup of the records; `engineOf` plugs in the real one.
 */
import { MusterError } from '../../shared/errors.js';
import { k3sRecord } from '../engines/k8s/record.js';
import { swarmRecord } from '../engines/swarm/record.js';

export const ENGINES = ['muster', 'swarm', 'k3s'] as const;
export type Engine = (typeof ENGINES)[number];

/** What a command runs on, and its argv for that engine (`--engine muster` taken out: the native commands have no such option). */
export interface EngineChoice {
  engine: Engine;
  argv: string[];
  /** the stack whose record decided, when no --engine was given */
  recordedStack?: string;
}

/** Which engines a name has a record for. */
export type RecordLookup = (name: string) => Engine[];

// options of deploy/ps/services/rm (any engine) that take a value: that value is no stack argument
const VALUE_OPTIONS = new Set([
  '-i',
  '--inventory',
  '-T',
  '--timeout',
  '--kubeconfig',
  '--context',
  '--name',
  '--swarm-manager',
  '--manager',
  '--reserve',
  '--move',
]);

const unknownEngine = (value: string) =>
  new MusterError('E_OPTION', `unknown engine "${value}"`, {
    hint: 'use --engine muster (the native scheduler, the default), --engine swarm (Docker Swarm) or --engine k3s (Kubernetes)',
  });

/** Pure: the arguments of argv that may name a stack (not options, not option values). */
export function stackArguments(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return [...out, ...argv.slice(i + 1)];
    if (a === '--engine' || VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) out.push(a);
  }
  return out;
}

/** Pure: the engine of a command line, given which records each name has. */
export function chooseEngine(argv: string[], recorded: RecordLookup): EngineChoice {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    const inline = a.startsWith('--engine=');
    if (a !== '--engine' && !inline) continue;
    const value = inline ? a.slice('--engine='.length) : argv[i + 1];
    if (value === undefined || value === '' || value.startsWith('-')) throw unknownEngine(value ?? '');
    if (!(ENGINES as readonly string[]).includes(value)) throw unknownEngine(value);
    const engine = value as Engine;
    return { engine, argv: engine === 'muster' ? [...argv.slice(0, i), ...argv.slice(i + (inline ? 1 : 2))] : argv };
  }
  for (const name of stackArguments(argv)) {
    const engines = recorded(name);
    if (engines.length > 1)
      throw new MusterError('E_OPTION', `stack ${name} is recorded as deployed to ${engines.join(' and ')}`, {
        hint: `say which one: --engine ${engines.join(' or --engine ')} (rm on the other engine forgets its record)`,
      });
    if (engines.length === 1) return { engine: engines[0], argv, recordedStack: name };
  }
  return { engine: 'muster', argv };
}

/** The engines a name has a record for in the state directory. */
export const recordsIn =
  (env: Record<string, string | undefined>): RecordLookup =>
  (name) => [...(swarmRecord(env, name) ? (['swarm'] as const) : []), ...(k3sRecord(env, name) ? (['k3s'] as const) : [])];

/** The engine of a command line, from --engine or the records in the state directory. */
export const engineOf = (argv: string[], env: Record<string, string | undefined>): EngineChoice => chooseEngine(argv, recordsIn(env));

const HOW: Record<'scale' | 'rollback', Record<'swarm' | 'k3s', string>> = {
  scale: {
    swarm: 'change deploy.replicas in the stack file and run muster deploy --engine swarm FILE again (or docker service scale on a manager)',
    k3s: 'change deploy.replicas in the stack file and run muster deploy --engine k3s FILE again (or kubectl scale deployment)',
  },
  rollback: {
    swarm: 'run muster deploy --engine swarm with the previous stack file (or docker service rollback on a manager)',
    k3s: 'run muster deploy --engine k3s with the previous stack file (or kubectl rollout undo deployment)',
  },
};

/**
 * Pure: refuses `command` on a service of a stack recorded for another engine (scale and rollback act on
 * muster's own scheduler only). `service` is `stack_service` or a service already resolved to its stack.
 */
export function refuseOtherEngine(command: 'scale' | 'rollback', service: string | { stack: string }, recorded: RecordLookup): void {
  const stacks = typeof service === 'string' ? [...service.matchAll(/_/g)].map((m) => service.slice(0, m.index)) : [service.stack];
  for (const stack of stacks) {
    const engine = recorded(stack).find((e): e is 'swarm' | 'k3s' => e !== 'muster');
    if (engine === undefined) continue;
    throw new MusterError('E_OPTION', `stack ${stack} runs on ${engine}: muster ${command} acts on muster's own scheduler only`, {
      hint: HOW[command][engine],
    });
  }
}
