/** The system modules: accounts, packages and repositories, services, kernel parameters, the hostname. */
import type { Module } from '../types.js';
import { apt } from './apt.js';
import { authorizedKey } from './authorized-key.js';
import { deb822Repository } from './deb822.js';
import { group } from './group.js';
import { hostname } from './hostname.js';
import { pkg } from './package.js';
import { service } from './service.js';
import { sysctl } from './sysctl.js';
import { systemd, systemdService } from './systemd.js';
import { user } from './user.js';

export const modules: Module[] = [user, group, authorizedKey, apt, pkg, deb822Repository, service, systemd, systemdService, sysctl, hostname];
