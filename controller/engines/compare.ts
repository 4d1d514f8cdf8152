/**
 * What each engine does with each stack feature, derived rather than written down: every row's minimal stack
 * goes through the stack loader and each engine's own translation (muster's scheduler and container template,
 * the Swarm specs and checks, the Kubernetes manifests), and the cell's kind comes from what they report:
 * refused (the loader or the engine stops), added (muster adds what the engine lacks), warned (kept, told),
 * native (the engine does it as written), dropped (no trace in the output and nothing said: a bug to fix).
 * Each row carries a short fixed text per kind; a kind without a text is an error naming the row, so a change
 * in a translator cannot leave a stale explanation. Pure: no file, clock or network.
 */
import { MusterError } from '../../shared/errors.js';
import type { Ctx } from '../stack/fields.js';
import { normaliseStack } from '../stack/normalise.js';
import type { Stack } from '../stack/types.js';
import { warningsFor } from '../stack/warnings.js';
import { checkForSwarm } from './swarm/checks.js';
import { swarmStack } from './swarm/stack-spec.js';
import { translate } from './k8s/manifests.js';
import { MEMORY_ENFORCED } from './k8s/placement.js';
import { nativeProbe } from './compare-native.js';
import { DEPLOY_ROWS } from './compare-rows-deploy.js';
import { SERVICE_ROWS } from './compare-rows-service.js';
import { STORAGE_ROWS } from './compare-rows-storage.js';

/** The engines, in table order. */
export const ENGINES = ['native', 'swarm', 'k8s'] as const;
export type Engine = (typeof ENGINES)[number];
/** What an engine does with a feature. */
export type Kind = 'refused' | 'added' | 'warned' | 'native' | 'dropped';

/** One feature: a service fragment over a base, and what to say for each kind each engine may show. */
export interface Row {
  /** the first column (markdown) */
  feature: string;
  /** the service's keys besides `image:`, in stack file form */
  service: Record<string, unknown>;
  /** the service keys of the stack the row is compared with (none by default): `dropped` means no change from it */
  base?: Record<string, unknown>;
  /** top-level keys both stacks share (volumes:, secrets:, other services) */
  top?: Record<string, unknown>;
  why: Record<Engine, Partial<Record<Kind, string>>>;
}

/** What one engine made of one stack. */
export interface Probe {
  refused: string[];
  added: string[];
  warned: string[];
  /** the engine's output, compared with the base's to tell native from dropped */
  output: unknown;
}

/** A derived cell: its kind, the row's text for it, and the findings it came from. */
export interface Cell {
  kind: Kind;
  text: string;
  findings: string[];
}

export interface ComparedRow {
  feature: string;
  cells: Record<Engine, Cell>;
}

/** The stack name every row's stack has, and the one service's name. */
export const STACK = 'cmp';
export const SERVICE = 'app';
const IMAGE = 'muster-busybox:1';

/** The Stack of a service fragment, as loadStack reads it (no side files; COMPARE_TOKEN set); throws MusterError. */
export function stackOf(service: Record<string, unknown>, top: Record<string, unknown> = {}): Stack {
  const { services: others, ...defs } = top as { services?: Record<string, unknown> };
  const doc = { name: STACK, services: { [SERVICE]: { image: IMAGE, ...service }, ...others }, ...defs };
  const ctx: Ctx = {
    file: 'compare.yml',
    dir: '/nonexistent',
    stack: STACK,
    env: { COMPARE_TOKEN: 'token' },
    readFile: () => undefined,
    warnings: [],
    unsupported: [],
  };
  return normaliseStack(structuredClone(doc), ctx);
}

/** The Swarm path: the specs and muster's checks. */
export function swarmProbe(stack: Stack): Probe {
  const checked = checkForSwarm(stack, swarmStack(stack));
  return {
    refused: checked.refused.map((e) => e.message),
    added: checked.findings.filter((f) => f.kind === 'added').map((f) => f.message),
    warned: checked.findings.filter((f) => f.kind === 'warning').map((f) => f.message),
    output: checked.swarm,
  };
}

/** The Kubernetes path: the manifests; muster's addition is the memory-enforced node selector. */
export function k8sProbe(stack: Stack): Probe {
  const t = translate(stack);
  const constrained = new Set(stack.services.flatMap((s) => s.deploy.constraints.map((c) => c.key)));
  const added = t.objects.flatMap((o) => {
    const pod = (o.spec as { template?: { spec?: { nodeSelector?: Record<string, string> } } } | undefined)?.template?.spec;
    return pod?.nodeSelector?.[MEMORY_ENFORCED] !== undefined && !constrained.has(`node.labels.${MEMORY_ENFORCED}`)
      ? [`${o.kind}/${o.metadata.name}: nodeSelector ${MEMORY_ENFORCED}=true`]
      : [];
  });
  const selectorNote = (w: string) => w.includes(`labelled ${MEMORY_ENFORCED}=true`);
  return {
    refused: t.refusals,
    added,
    warned: t.warnings.filter((w) => !(added.length > 0 && selectorNote(w))),
    output: t.objects,
  };
}

const PROBES: Record<Engine, (stack: Stack) => Probe> = { native: nativeProbe, swarm: swarmProbe, k8s: k8sProbe };

/** Every engine's probe of one service fragment; a loader refusal is every engine's, its warnings those that hold there. */
export function probeAll(service: Record<string, unknown>, top?: Record<string, unknown>): Record<Engine, Probe> {
  let stack: Stack;
  try {
    stack = stackOf(service, top);
  } catch (e) {
    if (!(e instanceof MusterError)) throw e;
    const p: Probe = { refused: [`stack file: ${e.message}`], added: [], warned: [], output: undefined };
    return { native: p, swarm: p, k8s: p };
  }
  const out = {} as Record<Engine, Probe>;
  for (const engine of ENGINES) {
    const p = PROBES[engine](stack);
    const loader = warningsFor(stack, engine).map((w) => `stack file: ${w.message}`);
    out[engine] = { ...p, warned: [...loader, ...p.warned] };
  }
  return out;
}

/** The kind of a probe: refused, then added, then warned; else native, or dropped when nothing changed from the base. */
export function kindOf(probe: Probe, base: Probe): Kind {
  if (probe.refused.length > 0) return 'refused';
  if (probe.added.length > 0) return 'added';
  if (probe.warned.length > 0) return 'warned';
  return JSON.stringify(probe.output) === JSON.stringify(base.output) ? 'dropped' : 'native';
}

/** One row through the three engines. Throws when a derived kind has no text in the row. */
export function compareRow(row: Row): ComparedRow {
  const probes = probeAll(row.service, row.top);
  const bases = probeAll(row.base ?? {}, row.top);
  const cells = {} as Record<Engine, Cell>;
  for (const engine of ENGINES) {
    const p = probes[engine];
    const kind = kindOf(p, bases[engine]);
    const text = row.why[engine][kind];
    const findings = kind === 'refused' ? p.refused : kind === 'added' ? [...p.added, ...p.warned] : kind === 'warned' ? p.warned : [];
    if (text === undefined) {
      throw new Error(
        `engine table, row "${row.feature}", ${engine}: now ${kind}${findings.length ? ` (${findings.join('; ')})` : ''}, and the row has no text for that: write why.${engine}.${kind} in controller/engines/compare-rows*.ts`,
      );
    }
    cells[engine] = { kind, text, findings };
  }
  return { feature: row.feature, cells };
}

const HEADERS: Record<Engine, string> = { native: 'muster (native)', swarm: 'Docker Swarm', k8s: 'k3s (Kubernetes)' };
const SHOWN: Record<Kind, string> = { refused: '**refused**', added: '*added*', warned: 'warned', native: 'native', dropped: 'no effect' };

const cellText = (c: Cell): string => `${SHOWN[c.kind]}: ${c.text}`.replace(/\|/g, '\\|');

/** The markdown table of compared rows. */
export function renderTable(rows: ComparedRow[]): string {
  const lines = [`| stack | ${ENGINES.map((e) => HEADERS[e]).join(' | ')} |`, `|---|${ENGINES.map(() => '---|').join('')}`];
  for (const r of rows) lines.push(`| ${r.feature} | ${ENGINES.map((e) => cellText(r.cells[e])).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export const BEGIN = '<!-- engine-table:begin -->';
export const END = '<!-- engine-table:end -->';

/** `page` with the text between the markers replaced by `table`; throws when the markers are missing. */
export function withTable(page: string, table: string): string {
  const a = page.indexOf(BEGIN);
  const b = page.indexOf(END);
  if (a < 0 || b < a) throw new Error(`the page has no ${BEGIN} ... ${END} markers: add them where the table goes`);
  return `${page.slice(0, a + BEGIN.length)}\n${table}${page.slice(b)}`;
}

/** Every row of the table, in order: `deploy:` first, then the service's own keys, then its mounts. */
export const ROWS: Row[] = [...DEPLOY_ROWS, ...SERVICE_ROWS, ...STORAGE_ROWS];

/** The table README.md carries between its markers. */
export function engineTable(rows: Row[] = ROWS): string {
  return renderTable(rows.map(compareRow));
}
