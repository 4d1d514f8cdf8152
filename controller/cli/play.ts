/**
 * `muster play -i INV PLAYBOOK`: ansible.cfg and ANSIBLE_* read, then load, validate, prompt, run, report;
 * returns Ansible's exit codes.
 */
import { dirname } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { loadInventory, withVarsDir } from '../inventory/index.js';
import { jsonReporter } from '../output/json.js';
import { textReporter } from '../output/text.js';
import { getModule } from '../modules/index.js';
import { loadPlaybook } from '../playbook/load.js';
import { loadWarnings } from '../playbook/warnings.js';
import { runPlaybook } from '../runner/run.js';
import { SecretStore } from '../runner/state.js';
import { listBuiltins, renderBuiltins, resolvePlaybook } from './builtin.js';
import { settingWarnings } from '../config/precedence.js';
import { loadRunConfig, type RunConfig } from './ansible-config.js';
import { connector } from './connect.js';
import { parseExtraVars } from './extra-vars.js';
import { listing } from './listing.js';
import { renderPlayHosts } from './play-hosts.js';
import { intOption, listOption, parse, verbosity } from './options.js';
import { askPassword } from './prompt.js';
import { playUsage } from './usage.js';
import { promptVars, terminalAsker } from './vars-prompt.js';

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
  'force-handlers': { type: 'boolean' },
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
  const v = verbosity(o.verbose);
  const cfg = loadRunConfig({
    inventory: o.inventory?.length ? [o.inventory.at(-1) as string] : undefined,
    remoteUser: o.user,
    forks: o.forks === undefined ? undefined : intOption('forks', o.forks, 50),
    become: o.become || undefined,
    becomeUser: o['become-user'],
    becomeAskPass: o['ask-become-pass'] || undefined,
    privateKeyFile: o['private-key'],
    timeout: o.timeout === undefined ? undefined : intOption('timeout', o.timeout, 10),
    forceHandlers: o['force-handlers'] || undefined,
  });
  const s = cfg.settings;
  if (v >= 1) (o.json ? (t: string) => process.stderr.write(t) : out)(configReport(cfg));
  for (const w of cfg.warnings) process.stderr.write(`[WARNING]: ${w}\n`);
  const invPath = inventoryOf(cfg);
  const extraVars = parseExtraVars(o['extra-vars'] ?? []);
  const forks = s.forks ?? 50;
  const timeoutS = s.timeout ?? 10;

  const bookPath = resolvePlaybook(positionals[0]);
  const musterRoles = (process.env.MUSTER_ROLES_PATH ?? '').split(':').filter((p) => p !== '');
  const book = loadPlaybook(bookPath, { rolesPath: [...musterRoles, ...(s.rolesPath ?? [])], collectionsPath: s.collectionsPath, gathering: s.gathering });
  const inventory = withVarsDir(loadInventory(invPath), dirname(bookPath));
  // modules muster lacks and arguments it ignores: said before anything runs, --syntax-check included
  for (const w of loadWarnings(book, getModule)) process.stderr.write(`[WARNING]: ${w}\n`);
  // the command line, ANSIBLE_* and ansible.cfg give defaults; a play's own keyword wins, as in Ansible
  book.plays = book.plays.map((p) => renderPlayHosts(p, extraVars));
  for (const p of book.plays) {
    if (s.become !== undefined) p.become ??= s.become;
    if (s.becomeUser !== undefined) p.becomeUser ??= s.becomeUser;
    if (s.forceHandlers !== undefined) p.forceHandlers ??= s.forceHandlers;
  }
  if (o['syntax-check']) {
    out(`\nplaybook: ${bookPath}\n`);
    return 0;
  }
  if (o['list-hosts'] || o['list-tasks']) {
    const list = { hosts: !!o['list-hosts'], tasks: !!o['list-tasks'], limit: o.limit, only: listOption(o.tags), skip: listOption(o['skip-tags']) };
    out(listing(book, inventory, list));
    return 0;
  }
  for (const w of settingWarnings(cfg)) process.stderr.write(`[WARNING]: ${w}\n`);
  for (const w of inventory.warnings) process.stderr.write(`[WARNING]: ${w}\n`);

  const secrets = new SecretStore();
  for (const answer of await promptVars(book.plays, extraVars, terminalAsker)) secrets.add(answer);
  const becomePassword = s.becomeAskPass ? await askPassword('BECOME password: ') : undefined;
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
          user: s.remoteUser,
          privateKey: s.privateKeyFile,
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

/** What -v says about the configuration, as ansible-playbook does, and which of the file's keys muster ignores. */
function configReport(cfg: RunConfig): string {
  if (!cfg.file) return 'No config file found; using defaults\n';
  const ignored = cfg.ignored.length ? `  (muster does not use: ${cfg.ignored.join(', ')})\n` : '';
  return `Using ${cfg.file} as config file\n${ignored}`;
}

/** The one inventory of the run: -i, else ANSIBLE_INVENTORY or ansible.cfg's inventory. */
function inventoryOf(cfg: RunConfig): string {
  const list = cfg.settings.inventory ?? [];
  if (list.length === 0)
    throw new MusterError('E_OPTION', 'no inventory given', {
      hint: 'pass -i INVENTORY (a YAML inventory file, or "host1,host2,"), or set inventory in ansible.cfg or ANSIBLE_INVENTORY',
    });
  if (list.length > 1)
    throw new MusterError('E_OPTION', `muster reads one inventory, but ${cfg.from.inventory} names ${list.length}: ${list.join(', ')}`, {
      hint: 'name one inventory there (a directory of inventory files is one), or pass -i INVENTORY',
    });
  return list[0];
}
