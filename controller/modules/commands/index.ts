/** The commands modules. */
import type { Module } from '../types.js';

export const modules: Module[] = [];
