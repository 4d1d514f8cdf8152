/**
 * `muster play --list-hosts / --list-tasks`: the loaded playbook written as ansible-playbook 2.14 lists it.
 * Its rules: only a block's `block:` part is listed (never rescue or always, nor handlers); a dynamic include
 * (include_tasks, include_role) is one line, the include itself, not the tasks inside; an unnamed task shows
 * its action as written, with no role before it; a task's tags are the sorted union of the play's and its own;
 * a role named again with the same parameters (a shared dependency) is listed each time, though it runs once.
 */
import { pyRepr } from '../expr/pystr.js';
import { selectHosts, type Inventory } from '../inventory/index.js';
import type { Play, Playbook, TaskNode } from '../playbook/types.js';
import { targetHosts } from '../runner/run.js';
import { selectedByTags } from '../runner/tags.js';

/** What to list, and the --limit / --tags / --skip-tags that narrow it. */
export interface ListOptions {
  hosts: boolean;
  tasks: boolean;
  limit?: string;
  only: string[];
  skip: string[];
}

/** The text of --list-hosts / --list-tasks for a loaded playbook. */
export function listing(book: Playbook, inv: Inventory, o: ListOptions): string {
  // a --limit matching no host is refused, as in a run; plays whose hosts: match nothing are still listed, as Ansible does
  const limited = targetHosts({ ...book, plays: [] }, inv, o.limit);
  const lines = [`\nplaybook: ${book.file}`];
  book.plays.forEach((p, i) => {
    // Ansible joins the play's tags unsorted, with no space (the tasks' tags are sorted)
    lines.push(`\n  play #${i + 1} (${p.hosts}): ${p.name}\tTAGS: [${p.tags.join(',')}]`);
    if (o.hosts) {
      const hs = selectHosts(inv, p.hosts).filter((h) => !limited || limited.has(h));
      // Ansible prints its list of patterns as Python does: one per YAML list item, a comma string as one
      lines.push(`    pattern: ${pyRepr(p.hostList ?? [p.hosts])}`, `    hosts (${hs.length}):`, ...hs.map((h) => `      ${h}`));
    }
    if (o.tasks) lines.push('    tasks:', ...taskLines(p, o.only, o.skip));
  });
  return `${lines.join('\n')}\n`;
}

/** The `      NAME\tTAGS: [...]` lines of a play's pre_tasks, tasks and post_tasks, filtered by tags. */
export function taskLines(play: Play, only: string[], skip: string[]): string[] {
  const lines: string[] = [];
  const visit = (title: string, tags: string[]): void => {
    if (selectedByTags(tags, only, skip)) lines.push(`      ${title}\tTAGS: [${[...tags].sort().join(', ')}]`);
  };
  for (const section of [play.preTasks, play.tasks, play.postTasks]) walk(section, play.tags, visit);
  return lines;
}

function walk(nodes: TaskNode[], inherited: string[], visit: (title: string, tags: string[]) => void): void {
  for (const n of nodes) {
    if (n.kind === 'block' && n.listed) visit(n.listed.title, union(inherited, n.listed.tags));
    else if (n.kind === 'block') walk(n.block, union(inherited, n.tags), visit);
    else visit(n.action ?? (n.role ? `${n.role} : ${n.name}` : n.name), union(inherited, n.tags));
  }
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
