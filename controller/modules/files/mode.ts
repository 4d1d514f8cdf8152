/**
 * File modes as Ansible takes them: octal strings ('0644', '644', '0o644') or chmod's symbolic clauses
 * ('u=rw,g=r,o=r', 'a+X'). Symbolic modes are resolved against the current mode here, so that plans
 * compare and print plain octal numbers.
 */
import { MusterError } from '../../../shared/errors.js';

const MODE_HINT = 'give an octal string such as "0644" (quoted in YAML) or a symbolic mode such as "u=rw,g=r,o=r"';

/** `0644` style: four octal digits. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** The mode a new file or directory gets from open(2)/mkdir(2) under this umask. */
export function defaultMode(isDir: boolean, umask: number): number {
  return (isDir ? 0o777 : 0o666) & ~umask;
}

/** Parses the umask a probe printed ('0022'); 022 when missing. */
export function parseUmask(text: string | undefined): number {
  return text && /^[0-7]{1,4}$/.test(text.trim()) ? parseInt(text.trim(), 8) : 0o022;
}

/** The octal value of an octal mode string, or undefined when it is symbolic. */
export function octalMode(spec: string): number | undefined {
  const m = /^(?:0o)?([0-7]{1,5})$/i.exec(spec.trim());
  if (!m) return undefined;
  const value = parseInt(m[1], 8);
  if (value > 0o7777) throw badMode(spec);
  return value;
}

/** The mode `spec` gives a path whose mode is `current` (symbolic clauses are applied in order). */
export function resolveMode(spec: string | number, current: number, isDir: boolean, umask: number): number {
  const text = typeof spec === 'number' ? spec.toString(8) : spec;
  const octal = octalMode(text);
  if (octal !== undefined) return octal;
  let mode = current & 0o7777;
  for (const clause of text.split(',')) mode = applyClause(mode, clause.trim(), isDir, umask, text);
  return mode;
}

function badMode(spec: string): MusterError {
  return new MusterError('E_MODULE', `bad mode "${spec}"`, { hint: MODE_HINT });
}

const CLASS_MASK: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };
const SHIFT: Record<string, number> = { u: 6, g: 3, o: 0 };

function applyClause(mode: number, clause: string, isDir: boolean, umask: number, spec: string): number {
  const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
  if (!m) throw badMode(spec);
  // chmod(1): with no "who", act as "a" but leave the umask's bits alone
  const useUmask = m[1] === '';
  const who = m[1] === '' || m[1].includes('a') ? ['u', 'g', 'o'] : [...new Set(m[1])];
  for (const op of m[2].match(/[-+=][rwxXstugo]*/g) ?? []) {
    const perms = op.slice(1);
    if (/[ugo]/.test(perms) && perms.length > 1) throw badMode(spec);
    for (const user of who) {
      const bits = permBits(user, perms, mode, isDir, useUmask ? umask : 0);
      if (op[0] === '+') mode |= bits;
      else if (op[0] === '-') mode &= ~bits;
      else mode = (mode & ~CLASS_MASK[user]) | bits;
    }
  }
  return mode;
}

function permBits(user: string, perms: string, mode: number, isDir: boolean, umask: number): number {
  const shift = SHIFT[user];
  let rwx = 0;
  let special = 0;
  for (const p of perms) {
    if (p === 'r') rwx |= 4;
    else if (p === 'w') rwx |= 2;
    else if (p === 'x') rwx |= 1;
    else if (p === 'X') rwx |= isDir || (mode & 0o111) !== 0 ? 1 : 0;
    else if (p === 's') special |= user === 'u' ? 0o4000 : user === 'g' ? 0o2000 : 0;
    else if (p === 't') special |= user === 'o' ? 0o1000 : 0;
    else rwx |= (mode >> SHIFT[p]) & 7; // copy another class's bits: g=u
  }
  return ((rwx << shift) & ~umask) | special;
}
