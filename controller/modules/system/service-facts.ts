/**
 * `service_facts`: the host's services as the fact `services`, gathered as Ansible gathers them on a
 * Debian host: the init scripts `service --status-all` lists (source sysv), then systemd's service units
 * and unit files (source systemd), in one round trip.
 */
import { sh, type Script } from '../../command.js';
import type { ArgSpecs, Module, ModuleResult, Vars } from '../types.js';
import { section, sectionsOf, withSbin } from './probe.js';

const args: ArgSpecs = {};

/** Load or active states that Ansible keeps as a unit's status whatever its unit file says. */
const BAD_STATES = ['not-found', 'masked', 'failed'];

/** One service as Ansible reports it. */
export interface ServiceFact {
  name: string;
  state: string;
  status?: string;
  source: 'sysv' | 'systemd';
}

/** The probe: `service --status-all` (when there is a service tool and no chkconfig), the units, the unit files, each file's ActiveState. */
export function probeServices(): Script {
  return withSbin(
    section(
      'sysv',
      sh`if command -v service >/dev/null 2>&1 && ! command -v chkconfig >/dev/null 2>&1 && ! command -v rc-status >/dev/null 2>&1; then service --status-all 2>/dev/null; fi`,
    ),
    section('systemd', sh`[ -d /run/systemd/system ] && echo yes`),
    section('units', sh`systemctl list-units --no-pager --plain --no-legend --type service --all 2>/dev/null`),
    section('files', sh`systemctl list-unit-files --no-pager --no-legend --type service --all 2>/dev/null`),
    // Template units (name@.service) cannot be shown: Ansible's `systemctl show` fails for them and says unknown.
    section(
      'active',
      sh`systemctl list-unit-files --no-pager --no-legend --type service --all 2>/dev/null | while read -r u _; do case "$u" in *@.service) ;; *.service) echo "$u" ;; esac; done | xargs -r systemctl show --property=Id,ActiveState 2>/dev/null`,
    ),
  );
}

/** Pure: the probe's output -> the services, keyed by name. */
export function parseServices(stdout: string): Record<string, ServiceFact> {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const services: Record<string, ServiceFact> = {};
  for (const m of (s.get('sysv')?.text ?? '').matchAll(/^\s*\[ (\+|-) \]\s+(.+)$/gm)) {
    const name = m[2].trim();
    services[name] = { name, state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' };
  }
  if ((s.get('systemd')?.text ?? '').trim() !== 'yes') return services;
  for (const line of (s.get('units')?.text ?? '').split('\n')) {
    if (!line.includes('.service')) continue;
    const fields = line.trim().replace(/^●\s*/, '').split(/\s+/);
    if (fields.length < 4) continue;
    const bad = BAD_STATES.find((b) => fields.includes(b));
    const [name, , active, sub] = fields;
    services[name] = { name, state: sub === 'running' ? 'running' : 'stopped', status: bad ?? active, source: 'systemd' };
  }
  const active = new Map<string, string>();
  for (const block of (s.get('active')?.text ?? '').split(/\n\s*\n/)) {
    const id = block.match(/^Id=(.+)$/m)?.[1];
    const state = block.match(/^ActiveState=(.*)$/m)?.[1];
    if (id && state) active.set(id, state);
  }
  for (const line of (s.get('files')?.text ?? '').split('\n')) {
    if (!line.includes('.service')) continue;
    const [name, status] = line.trim().split(/\s+/);
    if (!name || status === undefined) continue;
    const known = services[name];
    if (!known) services[name] = { name, state: active.get(name) ?? 'unknown', status, source: 'systemd' };
    else if (!BAD_STATES.includes(known.status ?? '')) known.status = status;
  }
  return services;
}

/** Pure: the module's result, facts included (the runner assigns them over the host's: ansible_facts keeps what was there). */
export function serviceFactsResult(services: Record<string, ServiceFact>, facts: Vars): ModuleResult {
  if (Object.keys(services).length === 0) {
    return {
      changed: false,
      msg: 'Failed to find any services. This can be due to privileges or some other configuration issue.',
      facts: {},
      data: { skipped: true },
    };
  }
  return { changed: false, facts: { ansible_facts: { ...facts, services }, services }, data: { ansible_facts: { services } } };
}

/** The `service_facts` module: reads only, so it runs in check mode too. */
export const serviceFacts: Module = {
  name: 'service_facts',
  args,
  checkMode: true,
  async run(_a, ctx) {
    const r = await ctx.exec(probeServices());
    return serviceFactsResult(parseServices(r.stdout), (ctx.vars.ansible_facts ?? {}) as Vars);
  },
};
