/** Where a role named in a play or a dependency lives, searched as Ansible searches, and the name it is shown with. */
import { basename, join } from 'node:path';
import { MusterError, type Pos } from '../../shared/errors.js';
import { FQCN } from './role-vars.js';
import { isDir, under, type Place, type Scope } from './scope.js';

/** A role's directory, and whether it was found as a path from the working directory (the last resort). */
export type Found = Place & { byPath?: boolean };

/**
 * The name tasks are shown with, as Ansible's: the name as written (`k3s/prereq` too) when the role was found
 * under a roles directory; its directory name when NAME was a path from the working directory.
 */
export function displayName(name: string, dir: Found): string {
  return dir.byPath ? basename(name.replace(/\/+$/, '')) : name.replace(/\/+$/, '');
}

/**
 * The role's directory, searched as Ansible does: NAME (which may hold a /) under the playbook's roles/,
 * MUSTER_ROLES_PATH and roles_path, the directory of the role depending on it, the playbook's directory,
 * then NAME as a path from the working directory. `ns.coll.role` is first looked for as
 * ansible_collections/ns/coll/roles/role under the playbook's collections/ and the collections paths.
 */
export function findRole(name: string, scope: Scope, pos: Pos): Found {
  const fq = FQCN.exec(name);
  const inCollections = fq
    ? [under(scope.playbookDir, 'collections'), ...scope.env.collectionsPath.map((p) => ({ abs: p, shown: p }))].map((root) =>
        under(basename(root.abs) === 'ansible_collections' ? root : under(root, 'ansible_collections'), join(fq[1], fq[2], 'roles', fq[3])),
      )
    : [];
  const bases: Place[] = [
    under(scope.playbookDir, 'roles'),
    ...scope.env.rolesPath.map((p) => ({ abs: p, shown: p })),
    ...(scope.roleBase ? [{ abs: scope.roleBase, shown: scope.roleBase }] : []),
    scope.playbookDir,
  ];
  const asPath = under({ abs: process.cwd(), shown: '' }, name);
  const candidates = [...inCollections, ...bases.map((b) => under(b, name)), asPath];
  const found = candidates.find(isDir);
  if (found) return found === asPath ? { ...found, byPath: true } : found;
  const shown = [...new Set(candidates.map((c) => c.shown || '.'))];
  throw new MusterError('E_FILE', `role "${name}" not found`, {
    pos,
    hint: fq
      ? `looked in ${shown.join(', ')}; install the collection (ansible-galaxy collection install ${fq[1]}.${fq[2]}) or add its directory to collections_path in ansible.cfg (or ANSIBLE_COLLECTIONS_PATH)`
      : `looked in ${shown.join(', ')}; add directories to roles_path in ansible.cfg, ANSIBLE_ROLES_PATH or MUSTER_ROLES_PATH (colon-separated)`,
  });
}
