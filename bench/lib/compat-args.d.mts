// Types for compat-args.mjs, so TypeScript tests can import it.

export interface CompatOptions {
  /** folder of git mirrors, one owner+name/repo each */
  mirrors: string;
  /** the pinned corpus */
  corpus: string;
  /** where the repositories are extracted (emptied first) */
  work: string;
  /** the per-unit JSON */
  out: string;
  /** seconds per command */
  timeoutS: number;
  /** run only the units whose id contains this */
  only: string | null;
  /** causes printed */
  top: number;
  /** run `npm run build` first */
  build: boolean;
  help: boolean;
}

export const compatUsage: string;
export function parseCompatArgs(argv: string[], root: string): CompatOptions;
