/** The Docker modules (community.docker): containers, images, networks, volumes and Compose projects on a host. */
import type { Module } from '../types.js';

/** Every Docker module, for the registry. */
export const modules: Module[] = [];
