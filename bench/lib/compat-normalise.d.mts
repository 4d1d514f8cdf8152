// Types for compat-normalise.mjs, so TypeScript tests can import it.

export function normaliseListing(text: string): string;
export function firstError(stderr: string, stdout?: string, roots?: string[]): string;
export function namesIn(line: string): string[];
export function causeOf(line: string): string;
