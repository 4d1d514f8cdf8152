/** Fake modules for loader and argument tests: real-looking argument specs, runs that do nothing. */
import type { ArgSpecs, Module } from '../../../controller/modules/types.js';
import type { Lookups } from '../../../controller/playbook/loader.js';

function fake(name: string, args: ArgSpecs, extra: Partial<Module> = {}): Module {
  return { name, args, checkMode: true, run: async () => ({ changed: false }), ...extra };
}

const commandArgs: ArgSpecs = {
  _raw_params: { type: 'str', aliases: ['cmd'] },
  argv: { type: 'list', elements: 'str' },
  stdin: { type: 'str' },
  chdir: { type: 'path' },
  creates: { type: 'path' },
  removes: { type: 'path' },
};

/** The fake registry. */
export const fakeModules: Module[] = [
  fake('command', commandArgs, { freeForm: true }),
  fake('shell', { ...commandArgs, executable: { type: 'path' } }, { freeForm: true }),
  fake('apt', {
    name: { type: 'list', elements: 'str', aliases: ['pkg', 'package'] },
    state: { type: 'str', default: 'present', choices: ['present', 'absent', 'latest'] },
    update_cache: { type: 'bool', default: false },
    cache_valid_time: { type: 'int' },
  }),
  fake(
    'copy',
    {
      src: { type: 'path' },
      content: { type: 'str' },
      dest: { type: 'path', required: true },
      mode: { type: 'mode' },
      force: { type: 'bool', default: true },
    },
    { validate: (a) => (a.src !== undefined && a.content !== undefined ? 'src and content are mutually exclusive' : undefined) },
  ),
  fake('template', { src: { type: 'path', required: true }, dest: { type: 'path', required: true }, mode: { type: 'mode' } }),
  fake('file', {
    path: { type: 'path', required: true, aliases: ['dest', 'name'] },
    state: { type: 'str', choices: ['file', 'directory', 'absent', 'touch', 'link'] },
    mode: { type: 'mode' },
  }),
  fake('service', {
    name: { type: 'str', required: true },
    state: { type: 'str', choices: ['started', 'stopped', 'restarted', 'reloaded'] },
    enabled: { type: 'bool' },
  }),
  fake('debug', { msg: { type: 'raw' }, var: { type: 'str' }, verbosity: { type: 'int', default: 0 } }, { local: true }),
  fake('user', {
    name: { type: 'str', required: true },
    password: { type: 'str', secret: true },
    groups: { type: 'list', elements: 'str' },
    uid: { type: 'int' },
  }),
  fake('set_fact', { cacheable: { type: 'bool', default: false } }, { local: true, freeArgs: true } as Partial<Module>),
  fake('wait_for', {
    timeout: { type: 'float', default: 300 },
    ports: { type: 'list', elements: 'int' },
    headers: { type: 'dict' },
    extra: { type: 'list', elements: 'dict' },
  }),
];

const byName = new Map(fakeModules.map((m) => [m.name, m]));
const prefixes = ['ansible.builtin.', 'ansible.legacy.', 'community.general.', 'ansible.posix.'];

/** Looks a fake module up by short name. */
export const fakeModule = (name: string): Module => {
  const m = byName.get(name);
  if (!m) throw new Error(`no fake module ${name}`);
  return m;
};

/** Loader options wired to the fake registry. */
export const fakeOptions: Lookups = {
  modules: (name) => byName.get(name),
  canonical: (written) => {
    const short = prefixes.reduce((n, p) => (n.startsWith(p) ? n.slice(p.length) : n), written);
    return byName.has(short) ? short : undefined;
  },
  moduleNames: () => [...byName.keys()].sort(),
  rolesPath: [],
};
