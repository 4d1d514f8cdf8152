// Types for converge-scripts.mjs, so TypeScript tests can import it.

export const SLEEPER: string;
export const LABELS: { run: string; swarm: string; muster: string };
export function waitRunning(label: string, n: number): string;
export function waitGone(label: string): string;
export function runScript(image: string, n: number): string;
export function runCleanup(): string;
export function swarmScript(image: string, n: number): string;
export function swarmCleanup(): string;
export function swarmInit(): string;
export function swarmLeave(): string;
export function stackYaml(image: string, n: number): string;
