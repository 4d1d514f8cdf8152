/** The fleet modules: the controller's side of the agents (their credentials, and reaching them). */
import type { Module } from '../types.js';
import { agentCheck } from './agent_check.js';
import { agentCredentials } from './agent_credentials.js';

/** Every fleet module, for the registry. */
export const modules: Module[] = [agentCredentials, agentCheck];
