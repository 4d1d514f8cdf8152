/**
 * `muster export --engine k8s STACK`: the stack as Kubernetes manifests (multi-document YAML on stdout),
 * what changes meaning as `# warning:` comments first. Refused (exit 1, nothing printed) while anything
 * cannot be expressed. Secrets' contents are left out unless --show-secrets.
 */
import { formatPos, MusterError } from '../../shared/errors.js';
import { translate } from '../engines/k8s/manifests.js';
import { refuseWhenStrict } from '../engines/strict.js';
import { renderManifests } from '../engines/k8s/render.js';
import { loadStack } from '../stack/load.js';
import { warningsFor } from '../stack/warnings.js';
import { parse } from './options.js';

export const exportUsage = 'muster export --engine k8s STACK [--name NAME] [--strict] [--show-secrets]';

/** Runs `muster export`; resolves with the exit code. */
export async function exportCommand(argv: string[], out: (s: string) => void, env: Record<string, string | undefined> = process.env): Promise<number> {
  const options = {
    engine: { type: 'string' },
    name: { type: 'string' },
    strict: { type: 'boolean' },
    'show-secrets': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const { values: o, positionals } = parse(argv, options, exportUsage);
  if (o.help) {
    out(`usage: ${exportUsage}\n`);
    return 0;
  }
  if (o.engine !== 'k8s' && o.engine !== 'k3s')
    throw new MusterError('E_OPTION', o.engine === undefined ? 'no --engine given' : `--engine ${o.engine} cannot export`, { hint: `usage: ${exportUsage}` });
  if (positionals.length !== 1) throw new MusterError('E_OPTION', `one stack file, got ${positionals.length}`, { hint: `usage: ${exportUsage}` });
  const stack = loadStack(positionals[0], { name: o.name, env, strict: o.strict });
  const t = translate(stack, { showSecrets: o['show-secrets'] === true });
  if (t.refusals.length > 0) {
    throw new MusterError('E_SCHEMA', `${stack.file} cannot run on Kubernetes as written:\n  - ${t.refusals.join('\n  - ')}`, {
      hint: 'change what is named above (or deploy it with muster itself)',
    });
  }
  refuseWhenStrict(o.strict, 'Kubernetes', stack.name, t.warnings);
  const warnings = [...warningsFor(stack, 'k8s').map((w) => `${w.pos ? `${formatPos(w.pos)}: ` : ''}${w.message}`), ...t.warnings];
  out(renderManifests({ objects: t.objects, warnings }));
  return 0;
}
