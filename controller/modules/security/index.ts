/** The security modules: host firewalls (ufw, iptables), SSH known hosts and key pairs. */
import type { Module } from '../types.js';

/** Every security module, for the registry. */
export const modules: Module[] = [];
