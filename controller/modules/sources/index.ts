/** The software-source modules: APT repositories and keys, Python packages, git checkouts. */
import type { Module } from '../types.js';

/** Every software-source module, for the registry. */
export const modules: Module[] = [];
