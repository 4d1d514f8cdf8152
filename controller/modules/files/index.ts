/** The files modules. */
import type { Module } from '../types.js';
import { blockinfile } from './blockinfile.js';
import { copy } from './copy.js';
import { fetch } from './fetch.js';
import { file } from './file.js';
import { get_url } from './get_url.js';
import { lineinfile } from './lineinfile.js';
import { replace } from './replace.js';
import { slurp } from './slurp.js';
import { stat } from './stat.js';
import { template } from './template.js';
import { unarchive } from './unarchive.js';

/** Every files module, for the registry. */
export const modules: Module[] = [file, copy, template, lineinfile, blockinfile, replace, stat, slurp, fetch, get_url, unarchive];
