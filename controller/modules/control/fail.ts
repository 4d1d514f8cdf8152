/** fail: stops the host with a message. */
import type { Args, ModuleResult } from '../types.js';
import { withMsg, type ControlModule } from './spec.js';

/** Pure: always a failure, with the given message. */
export function failResult(args: Args): ModuleResult {
  return withMsg({ changed: false, failed: true }, args.msg ?? 'Failed as requested from task');
}

/** The fail module. */
export const fail: ControlModule = {
  name: 'fail',
  summary: 'Fails the host with `msg` (usually under a `when`).',
  args: { msg: { type: 'raw', default: 'Failed as requested from task' } },
  local: true,
  checkMode: true,
  async run(args) {
    return failResult(args);
  },
};
