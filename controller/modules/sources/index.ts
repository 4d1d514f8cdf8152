/** The software-source modules: APT repositories and keys, Python packages, git checkouts. */
import type { Module } from '../types.js';
import { aptKey } from './apt-key.js';
import { aptRepository } from './apt-repository.js';
import { git } from './git.js';
import { pip } from './pip.js';

/** One line each for the modules reference page (docs.ts reads `summary`). */
const summaries: Record<string, string> = {
  apt_repository:
    'A one-line APT source (or an Ubuntu PPA) present in /etc/apt/sources.list.d/NAME.list or absent from every .list file; apt-get update after, files put back if it fails.',
  apt_key:
    'An APT signing key present or absent as a file in /etc/apt/trusted.gpg.d (or `keyring`), from data, a host file, a URL or an HKP key server; no apt-key needed.',
  pip: 'Python packages present (at a version or specifier), latest, reinstalled or absent, system-wide or in a virtualenv made on demand; PEP 668 refusals explained.',
  git: 'A checkout (or bare clone) of a repository at a branch, tag, commit or HEAD; local modifications refused unless force; returns the commits before and after.',
};

/** Every software-source module, for the registry. */
export const modules: Module[] = [aptRepository, aptKey, pip, git].map((m) => ({ ...m, summary: summaries[m.name] }));
