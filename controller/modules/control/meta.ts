/** meta: run-level actions. The runner carries them out; this module only declares and checks the action. */
import { didYouMean, MusterError } from '../../../shared/errors.js';
import type { Args } from '../types.js';
import type { ControlModule } from './spec.js';

/** The meta actions muster's runner carries out. */
export const META_ACTIONS = ['flush_handlers', 'reset_connection', 'end_play', 'end_host', 'clear_facts', 'noop'] as const;

const ANSIBLE_ONLY = ['end_batch', 'end_role', 'clear_host_errors', 'refresh_inventory'];

/** Load-time check of the action name. */
export function checkMeta(args: Args): string | undefined {
  const action = String(args._raw_params ?? args.free_form ?? '').trim();
  if (action === '') return `meta needs an action: one of ${META_ACTIONS.join(', ')}`;
  if ((META_ACTIONS as readonly string[]).includes(action)) return undefined;
  if (ANSIBLE_ONLY.includes(action)) return `meta: ${action} is not supported by muster (supported: ${META_ACTIONS.join(', ')})`;
  return `unknown meta action "${action}"${didYouMean(action, META_ACTIONS)}; supported: ${META_ACTIONS.join(', ')}`;
}

/** The meta module (declaration and checks only). */
export const meta: ControlModule = {
  name: 'meta',
  summary: `Run-level actions carried out by the runner: ${META_ACTIONS.join(', ')}.`,
  args: { _raw_params: { type: 'str', required: true, aliases: ['free_form'] } },
  freeForm: true,
  local: true,
  checkMode: true,
  validate: checkMeta,
  async run() {
    throw new MusterError('E_INTERNAL', 'meta reached a module run: the runner should have carried it out', {
      hint: 'this is a bug in muster; please report it with the playbook',
    });
  },
};
