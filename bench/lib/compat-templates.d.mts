// Types for compat-templates.mjs, so TypeScript tests can import it.

export interface TemplateJob {
  id: string;
  repo: string;
  src: string;
  searchpath: string[];
  vars: Record<string, unknown>;
  varsError?: string;
}
export interface RenderRow {
  id: string;
  status: 'identical' | 'differs' | 'error' | 'ansible-fails';
  why?: string;
}
export interface RenderComparison {
  total: number;
  rendered: number;
  identical: number;
  errors: number;
  differs: number;
  rows: RenderRow[];
}

export function rolesWithTemplates(root: string): string[];
export function listJ2(dir: string): string[];
export function roleVarFiles(role: string): string[];
export function factVars(setup: { ansible_facts?: Record<string, unknown> }): Record<string, unknown>;
export function gatherFacts(): Record<string, unknown>;
export function magicVars(role: string, src: string): Record<string, unknown>;
export function templateJobs(roots: { name: string; dir: string }[], facts: Record<string, unknown>): TemplateJob[];
export function ansibleRenders(jobs: TemplateJob[]): Map<string, { ok: boolean; out?: string; error?: string }>;
export function compareRenders(
  jobs: TemplateJob[],
  ansible: Map<string, { ok: boolean; out?: string; error?: string }>,
  render: (job: TemplateJob) => string,
): RenderComparison;
export function firstDifference(want: string, got: string): string;
export function renderTemplates(done: { entry: { repo: string } }[], ctx: { root: string; work: string }): Promise<RenderComparison & { templates: number }>;
