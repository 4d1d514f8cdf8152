/** The commands modules: command, shell, raw. */
import type { Module } from '../types.js';
import { command } from './command.js';
import { raw } from './raw.js';
import { shell } from './shell.js';

export const modules: Module[] = [command, shell, raw];
