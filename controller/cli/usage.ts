/** The usage line of each command: the CLI prints them all without loading the commands (cli.ts). */

export const contextUsage = 'muster context set --manager URL [--token-file FILE] [--ca FILE] | muster context show | muster context unset';
export const deployUsage =
  'muster deploy -i INVENTORY|--manager URL STACK [--name NAME] [--dry-run] [--strict] [--timeout S] [--reserve SIZE] [--ship-images] [--move SERVICE]... [--engine muster|swarm|k3s]';
export const factsUsage = 'muster facts -i INVENTORY [PATTERN] [--accept-new-host-keys] [--forks N]';
export const inventoryUsage = 'muster inventory -i INVENTORY (--list | --graph [GROUP] | --host NAME)';
export const logsUsage = 'muster logs -i INVENTORY|--manager URL SERVICE [-f] [--tail N] [--timestamps]';
export const nodeUsage = 'muster node update --availability active|pause|drain NODE -i INVENTORY|--manager URL [--move SERVICE]... [--dry-run] [--timeout S]';
export const nodesUsage = 'muster nodes -i INVENTORY|--manager URL [PATTERN] [--json] [--timeout S] [--reserve SIZE]';
export const playUsage =
  'muster play [-i INVENTORY] PLAYBOOK|BUILTIN [--list-builtin] [--limit P] [--tags T] [--skip-tags T] [--check] [--diff] [-e k=v|@file] [--forks N] [-b] [-K] [--force-handlers] [-v] [--json] (-i may come from ansible.cfg or ANSIBLE_INVENTORY)';
export const psUsage = 'muster ps -i INVENTORY|--manager URL [STACK|SERVICE] [--all] [--json] [--timeout S] [--engine muster|swarm|k3s]';
export const rmUsage = 'muster rm -i INVENTORY|--manager URL STACK [--timeout S] [--engine muster|swarm|k3s]';
export const rollbackUsage = 'muster rollback -i INVENTORY|--manager URL SERVICE [--dry-run] [--timeout S]';
export const scaleUsage = 'muster scale -i INVENTORY|--manager URL SERVICE=N [SERVICE=N...] [--dry-run] [--timeout S]';
export const serveUsage = 'muster serve -i INVENTORY [--listen ADDRESS:PORT] [--name NAME]...';
export const servicesUsage = 'muster services -i INVENTORY|--manager URL [STACK] [--json] [--timeout S] [--engine muster|swarm|k3s]';
