/** Selecting hosts with a pattern (`hosts:` of a play, `--limit`), the way Ansible resolves them. */
import { transitiveMembers } from './build.js';
import { LOCALHOST_NAMES, localhostFor } from './hosts.js';
import { parsePattern, type PatternTerm } from './pattern-parse.js';
import type { Inventory } from './types.js';

/**
 * The hosts a pattern selects, in inventory order, each once (the implicit localhost, which is in no
 * group, comes last). A pattern that matches nothing gives []; a malformed one throws E_PATTERN.
 */
export function selectHosts(inv: Inventory, pattern: string): string[] {
  const terms = parsePattern(pattern);
  const members = transitiveMembers(inv.groups);
  members.set('all', new Set(inv.hosts.keys())); // every host, even in a hand-built inventory
  let selected = new Set<string>();
  for (const term of terms) {
    const found = new Set(applySubscript(matchTerm(inv, members, term), term));
    if (term.op === 'union') for (const h of found) selected.add(h);
    else if (term.op === 'and') selected = new Set([...selected].filter((h) => found.has(h)));
    else selected = new Set([...selected].filter((h) => !found.has(h)));
  }
  return inInventoryOrder(inv, selected);
}

/**
 * The plain names of a pattern that are neither a host nor a group of the inventory (globs and regexes
 * are not names): what a play's hosts: or --limit probably misspells, or a group the inventory lacks.
 */
export function unknownNames(inv: Inventory, pattern: string): string[] {
  return parsePattern(pattern)
    .filter((t) => !t.wild && t.expr !== 'all' && !inv.hosts.has(t.expr) && !inv.groups.has(t.expr) && !LOCALHOST_NAMES.has(t.expr))
    .map((t) => t.expr);
}

/** The hosts one term names, in inventory order. */
function matchTerm(inv: Inventory, members: Map<string, Set<string>>, term: PatternTerm): string[] {
  // A plain host name is taken as the host even when a group has the same name, as Ansible does.
  if (!term.wild && inv.hosts.has(term.expr)) return [term.expr];
  const found = new Set<string>();
  let groupMatched = false;
  for (const [group, hosts] of members) {
    if (!term.match(group)) continue;
    groupMatched = true;
    for (const h of hosts) found.add(h);
  }
  // Names with a dot look like host names (web1.example.com) even when a group matched, as in Ansible.
  if (!groupMatched || term.wild || term.expr.includes('.')) {
    for (const h of inv.hosts.keys()) if (term.match(h)) found.add(h);
  }
  if (!found.size && LOCALHOST_NAMES.has(term.expr)) {
    const local = localhostFor(inv, term.expr);
    if (local) found.add(local.name);
  }
  return inInventoryOrder(inv, found);
}

/** `web[0]`, `web[-1]`, `web[1:3]` (inclusive), `web[2:]`; an index past the end selects nothing. */
function applySubscript(hosts: string[], term: PatternTerm): string[] {
  const s = term.subscript;
  if (!s) return hosts;
  if (s.end === undefined) {
    const h = hosts.at(s.start);
    return h === undefined ? [] : [h];
  }
  return hosts.slice(s.start, s.end === -1 ? undefined : s.end + 1);
}

function inInventoryOrder(inv: Inventory, names: Set<string>): string[] {
  const listed = [...inv.hosts.keys()].filter((h) => names.has(h));
  const others = [...names].filter((h) => !inv.hosts.has(h));
  return [...listed, ...others];
}
