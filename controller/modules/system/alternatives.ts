/**
 * `alternatives`: one path of a Debian alternatives group installed (present), installed and chosen
 * (selected), the group back in auto mode (auto), or the path removed (absent), via update-alternatives.
 */
import { sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step } from '../types.js';
import { cmd, missingTools, section, sectionsOf, withSbin, words } from './probe.js';

const args: ArgSpecs = {
  name: { type: 'str', required: true },
  path: { type: 'path' },
  link: { type: 'path' },
  priority: { type: 'int' },
  state: { type: 'str', choices: ['present', 'selected', 'auto', 'absent'], default: 'selected' },
};

/** A group as `update-alternatives --query` shows it; undefined members when the group does not exist. */
export interface AlternativesState {
  missing: string[];
  exists: boolean;
  link?: string;
  /** auto or manual */
  status?: string;
  /** the path currently chosen */
  value?: string;
  /** path -> priority */
  alternatives: Map<string, number>;
}

const DEFAULT_PRIORITY = 50;

function validate(a: Args): string | undefined {
  if ((a.state === 'present' || a.state === 'selected' || a.state === 'absent') && a.path === undefined) return `path is required when state is ${a.state}`;
  return undefined;
}

/** The probe: the tool's presence and the group's query (nothing when it does not exist). */
export function probeAlternatives(a: Args): Script {
  return withSbin(section('tools', missingTools(['update-alternatives'])), section('query', sh`update-alternatives --query ${String(a.name)} 2>/dev/null`));
}

/** Pure: `update-alternatives --query` output -> the group. */
export function parseQuery(text: string): Omit<AlternativesState, 'missing'> {
  const alternatives = new Map<string, number>();
  const head: Record<string, string> = {};
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\w[\w ]*):\s?(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m;
    if (key === 'Alternative') {
      current = value.trim();
      alternatives.set(current, DEFAULT_PRIORITY);
    } else if (key === 'Priority' && current !== undefined) alternatives.set(current, Number(value));
    else if (current === undefined) head[key] = value.trim();
  }
  const exists = head.Name !== undefined;
  return { exists, link: head.Link, status: head.Status, value: head.Value === 'none' ? undefined : head.Value, alternatives };
}

/** Pure: probe output -> state. */
export function parseAlternatives(stdout: string): AlternativesState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  return { missing: words(s.get('tools')), ...parseQuery(s.get('query')?.text ?? '') };
}

/** Pure: what to do. */
export function planAlternatives(a: Args, s: AlternativesState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const name = String(a.name);
  const path = typeof a.path === 'string' ? a.path : undefined;
  const state = String(a.state);
  const data = { name, path: path ?? null, state };
  const steps: Step[] = [];
  const why: string[] = [];
  const tool = (...words: (string | number)[]) => ({ exec: withSbin(cmd('update-alternatives', ...words.map(String))) });

  if (state === 'absent') {
    if (!path || !s.alternatives.has(path)) return { kind: 'noop', reason: `${path} is not an alternative for ${name}`, data };
    steps.push(tool('--remove', name, path));
  } else {
    if (path) {
      const link = typeof a.link === 'string' ? a.link : s.link;
      const priority = typeof a.priority === 'number' ? a.priority : (s.alternatives.get(path) ?? DEFAULT_PRIORITY);
      const install =
        !s.alternatives.has(path) ||
        (typeof a.priority === 'number' && s.alternatives.get(path) !== a.priority) ||
        (typeof a.link === 'string' && a.link !== s.link);
      if (install) {
        if (!link) return { kind: 'fail', msg: `link is required to create the alternatives group ${name}: give link: (such as /usr/bin/${name})` };
        steps.push(tool('--install', link, name, path, priority));
        why.push(`${path} installed with priority ${priority}`);
      }
    }
    if (state === 'selected' && path && s.value !== path) {
      steps.push(tool('--set', name, path));
      why.push(`${path} selected`);
    }
    if (state === 'auto' && s.status !== 'auto' && (s.exists || steps.length)) {
      steps.push(tool('--auto', name));
      why.push('auto mode');
    }
  }
  if (!steps.length) {
    const what =
      state === 'selected' ? `${path} is already selected` : state === 'auto' ? `${name} is already in auto mode` : `${path} is already an alternative`;
    return { kind: 'noop', reason: `${what} for ${name}`, data };
  }
  if (s.missing.includes('update-alternatives')) return { kind: 'fail', msg: 'update-alternatives not found on the host (Debian: the "dpkg" package)' };
  return { kind: 'change', steps, data, msg: why.join(', ') || undefined };
}

const alternativesPlanned: PlannedModule<AlternativesState> = {
  name: 'alternatives',
  args,
  checkMode: true,
  validate,
  probe: probeAlternatives,
  parse: (out) => parseAlternatives(out.stdout),
  plan: planAlternatives,
};

/** The `alternatives` module. */
export const alternatives = planned(alternativesPlanned);
