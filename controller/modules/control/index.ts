/** The control modules: facts, messages, assertions, waiting and rebooting. */
import type { Module } from '../types.js';
import { assert } from './assert.js';
import { debug } from './debug.js';
import { fail } from './fail.js';
import { includeVarsModule } from './include_vars.js';
import { meta } from './meta.js';
import { pause } from './pause.js';
import { reboot } from './reboot.js';
import { setFact } from './set_fact.js';
import { validateArgumentSpec } from './validate-argument-spec.js';
import { sshKeyLogin } from './ssh_key_login.js';
import { gatherFacts, setup } from './setup.js';
import { waitFor } from './wait_for.js';
import { waitForConnection } from './wait_for_connection.js';

/** Every control module, for the registry. */
export const modules: Module[] = [
  setFact,
  debug,
  assert,
  fail,
  pause,
  waitFor,
  waitForConnection,
  reboot,
  setup,
  gatherFacts,
  meta,
  sshKeyLogin,
  includeVarsModule,
  validateArgumentSpec,
];
