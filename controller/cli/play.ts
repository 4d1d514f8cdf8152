/** `muster play -i INV PLAYBOOK`: load, validate, run, report; returns Ansible's exit codes. */
import { dirname } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { loadInventory, selectHosts, withVarsDir, type Inventory } from '../inventory/index.js';
import { jsonReporter } from '../output/json.js';
import { textReporter } from '../output/text.js';
import { getModule } from '../modules/index.js';
import { loadPlaybook } from '../playbook/load.js';
import { loadWarnings } from '../playbook/warnings.js';
import type { Playbook, TaskNode } from '../playbook/types.js';
import { runPlaybook, targetHosts } from '../runner/run.js';
import { SecretStore } from '../runner/state.js';
import { selectedByTags } from '../runner/tags.js';
import { listBuiltins, renderBuiltins, resolvePlaybook } from './builtin.js';
import { connector } from './connect.js';
import { parseExtraVars } from './extra-vars.js';
import { intOption, listOption, parse, verbosity } from './options.js';
import { askPassword } from './prompt.js';
import { playUsage } from './usage.js';

const options = {
  inventory: { type: 'string', short: 'i', multiple: true },
  limit: { type: 'string', short: 'l' },
  tags: { type: 'string', short: 't', multiple: true },
  'skip-tags': { type: 'string', multiple: true },
  check: { type: 'boolean', short: 'C' },
  diff: { type: 'boolean', short: 'D' },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  forks: { type: 'string', short: 'f' },
  'start-at-task': { type: 'string' },
  'list-hosts': { type: 'boolean' },
  'list-tasks': { type: 'boolean' },
  'syntax-check': { type: 'boolean' },
  'list-builtin': { type: 'boolean' },
  'ask-become-pass': { type: 'boolean', short: 'K' },
  become: { type: 'boolean', short: 'b' },
  'become-user': { type: 'string' },
  user: { type: 'string', short: 'u' },
  'private-key': { type: 'string' },
  timeout: { type: 'string', short: 'T' },
  'accept-new-host-keys': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs the play subcommand; resolves with the exit code. */
export async function playCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values: o, positionals } = parse(argv, options, playUsage);
  if (o.help) {
    out(`usage: ${playUsage}\n`);
    return 0;
  }
  if (o['list-builtin']) {
    out(renderBuiltins(listBuiltins()));
    return 0;
  }
  if (positionals.length !== 1)
    throw new MusterError('E_OPTION', positionals.length ? `expected one playbook, got ${positionals.length}` : 'no playbook given', {
      hint: `usage: ${playUsage}`,
    });
  const invPath = o.inventory?.at(-1);
  if (!invPath) throw new MusterError('E_OPTION', 'no inventory given', { hint: 'pass -i INVENTORY (a YAML inventory file, or "host1,host2,")' });
  const v = verbosity(o.verbose);
  const extraVars = parseExtraVars(o['extra-vars'] ?? []);
  const forks = intOption('forks', o.forks, 50);
  const timeoutS = intOption('timeout', o.timeout, 10);

  const bookPath = resolvePlaybook(positionals[0]);
  const book = loadPlaybook(bookPath);
  const inventory = withVarsDir(loadInventory(invPath), dirname(bookPath));
  // modules muster lacks and arguments it ignores: said before anything runs, --syntax-check included
  for (const w of loadWarnings(book, getModule)) process.stderr.write(`[WARNING]: ${w}\n`);
  if (o.become) for (const p of book.plays) p.become = true;
  if (o['become-user']) for (const p of book.plays) p.becomeUser = o['become-user'];
  if (o['syntax-check']) {
    out(`\nplaybook: ${bookPath}\n`);
    return 0;
  }
  if (o['list-hosts'] || o['list-tasks']) {
    out(listing(book, inventory, o.limit, !!o['list-hosts'], !!o['list-tasks'], listOption(o.tags), listOption(o['skip-tags'])));
    return 0;
  }
  for (const w of inventory.warnings) process.stderr.write(`[WARNING]: ${w}\n`);

  const becomePassword = o['ask-become-pass'] ? await askPassword('BECOME password: ') : undefined;
  const secrets = new SecretStore();
  if (becomePassword) secrets.add(becomePassword);
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  const reporter = o.json
    ? jsonReporter(out, secrets.values)
    : textReporter({
        out,
        progress: process.stderr.isTTY ? (s) => process.stderr.write(s) : undefined,
        color,
        verbosity: v,
        diff: !!o.diff,
        secrets: secrets.values,
      });
  try {
    const summary = await runPlaybook(
      book,
      o.limit,
      {
        check: !!o.check,
        diff: !!o.diff,
        forks,
        tags: listOption(o.tags),
        skipTags: listOption(o['skip-tags']),
        extraVars,
        startAtTask: o['start-at-task'],
        becomePassword,
        verbosity: v,
      },
      {
        inventory,
        connect: connector({
          acceptNewHostKeys: !!o['accept-new-host-keys'],
          timeoutS,
          becomePassword,
          verbosity: v,
          user: o.user,
          privateKey: o['private-key'],
        }),
        emit: (e) => reporter.emit(e),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        now: () => Date.now(),
      },
      secrets,
    );
    if (summary.failed.length) return 2;
    if (summary.unreachable.length) return 4;
    return 0;
  } finally {
    reporter.close();
  }
}

/** --list-hosts / --list-tasks output, like ansible-playbook's. */
function listing(book: Playbook, inv: Inventory, limit: string | undefined, hosts: boolean, tasks: boolean, only: string[], skip: string[]): string {
  // the same refusal as a run: a --limit or hosts: patterns that leave no host
  const limited = targetHosts(book, inv, limit);
  const lines = [`\nplaybook: ${book.file}`];
  book.plays.forEach((p, i) => {
    lines.push(`\n  play #${i + 1} (${p.hosts}): ${p.name}\tTAGS: [${p.tags.join(', ')}]`);
    if (hosts) {
      const hs = selectHosts(inv, p.hosts).filter((h) => !limited || limited.has(h));
      lines.push(`    pattern: ['${p.hosts}']`, `    hosts (${hs.length}):`, ...hs.map((h) => `      ${h}`));
    }
    if (tasks) {
      lines.push('    tasks:');
      for (const section of [p.preTasks, p.tasks, p.postTasks])
        walk(section, p.tags, (name, tags) => lines.push(`      ${name}\tTAGS: [${tags.join(', ')}]`), only, skip);
    }
  });
  return `${lines.join('\n')}\n`;
}

function walk(nodes: TaskNode[], inherited: string[], visit: (name: string, tags: string[]) => void, only: string[], skip: string[]): void {
  for (const n of nodes) {
    const tags = [...new Set([...inherited, ...n.tags])];
    if (n.kind === 'block') {
      for (const part of [n.block, n.rescue, n.always]) walk(part, tags, visit, only, skip);
    } else if (selectedByTags(tags, only, skip)) {
      visit(n.role ? `${n.role} : ${n.name}` : n.name, tags);
    }
  }
}
