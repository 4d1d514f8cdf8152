import t from 'tap';
import type { MusterError } from '../../../shared/errors.js';
import type { PathContext } from '../../../controller/config/ansible-cfg.js';
import { parseIni } from '../../../controller/config/ini.js';
import { findConfigFile, type FsView, resolveSettings, settingWarnings } from '../../../controller/config/precedence.js';

const ctx = (env: Record<string, string> = {}): PathContext => ({ env, cwd: '/work/site', home: '/home/me' });
const fsWith = (files: string[], dirs: string[] = [], open: string[] = []): FsView => ({
  isDir: (p) => dirs.includes(p),
  isReadableFile: (p) => files.includes(p),
  worldWritable: (p) => open.includes(p),
});

const search: { name: string; env?: Record<string, string>; files: string[]; dirs?: string[]; open?: string[]; want?: string; warns?: boolean }[] = [
  { name: 'nothing anywhere', files: [], want: undefined },
  { name: '/etc/ansible/ansible.cfg last', files: ['/etc/ansible/ansible.cfg'], want: '/etc/ansible/ansible.cfg' },
  { name: '~/.ansible.cfg before /etc', files: ['/etc/ansible/ansible.cfg', '/home/me/.ansible.cfg'], want: '/home/me/.ansible.cfg' },
  { name: './ansible.cfg before ~', files: ['/home/me/.ansible.cfg', '/work/site/ansible.cfg'], want: '/work/site/ansible.cfg' },
  {
    name: 'ANSIBLE_CONFIG first',
    env: { ANSIBLE_CONFIG: '/x/my.cfg' },
    files: ['/work/site/ansible.cfg', '/x/my.cfg'],
    want: '/x/my.cfg',
  },
  {
    name: 'ANSIBLE_CONFIG naming a directory means its ansible.cfg',
    env: { ANSIBLE_CONFIG: '/x' },
    files: ['/x/ansible.cfg'],
    dirs: ['/x'],
    want: '/x/ansible.cfg',
  },
  {
    name: 'ANSIBLE_CONFIG relative to the working directory, ~ expanded',
    env: { ANSIBLE_CONFIG: '~/c.cfg' },
    files: ['/home/me/c.cfg'],
    want: '/home/me/c.cfg',
  },
  {
    name: 'ANSIBLE_CONFIG naming nothing falls through',
    env: { ANSIBLE_CONFIG: '/nope.cfg' },
    files: ['/home/me/.ansible.cfg'],
    want: '/home/me/.ansible.cfg',
  },
  {
    name: 'a world-writable working directory is skipped, with a warning',
    files: ['/work/site/ansible.cfg', '/etc/ansible/ansible.cfg'],
    open: ['/work/site'],
    want: '/etc/ansible/ansible.cfg',
    warns: true,
  },
  {
    name: 'no warning when ANSIBLE_CONFIG names the file used',
    env: { ANSIBLE_CONFIG: '/work/site/ansible.cfg' },
    files: ['/work/site/ansible.cfg'],
    open: ['/work/site'],
    want: '/work/site/ansible.cfg',
    warns: false,
  },
];

for (const c of search)
  t.test(`search: ${c.name}`, async (t) => {
    const found = findConfigFile(ctx(c.env), fsWith(c.files, c.dirs, c.open));
    t.equal(found.path, c.want);
    t.equal(!!found.warning, !!c.warns);
    if (c.warns) t.match(found.warning, /world writable directory \(\/work\/site\).*chmod o-w/);
  });

const file = (text: string) => parseIni(text, '/etc/ansible/ansible.cfg');

t.test('every [defaults] and [privilege_escalation] key, typed; relative paths from the file', async (t) => {
  const r = resolveSettings(
    {},
    file(
      [
        '[defaults]',
        'inventory = inv/hosts.yml',
        'remote_user = "pi"',
        'roles_path = roles:~/shared/roles:/opt/roles',
        'collections_path = ./colls',
        'forks = 7',
        'private_key_file = ~/.ssh/pi_ed25519',
        'host_key_checking = False',
        'timeout = 30',
        'gathering = smart',
        'force_handlers = yes',
        'stdout_callback = yaml',
        '[privilege_escalation]',
        'become = True',
        'become_user = admin',
        'become_method = sudo',
        'become_ask_pass = false',
        '[ssh_connection]',
        'pipelining = True',
      ].join('\n'),
    ),
    ctx(),
  );
  t.same(r.settings, {
    inventory: ['/etc/ansible/inv/hosts.yml'],
    remoteUser: 'pi',
    rolesPath: ['/etc/ansible/roles', '/home/me/shared/roles', '/opt/roles'],
    collectionsPath: ['/etc/ansible/colls'],
    forks: 7,
    become: true,
    becomeUser: 'admin',
    becomeMethod: 'sudo',
    becomeAskPass: false,
    privateKeyFile: '/home/me/.ssh/pi_ed25519',
    hostKeyChecking: false,
    timeout: 30,
    gathering: 'smart',
    forceHandlers: true,
  });
  t.equal(r.from.forks, '/etc/ansible/ansible.cfg:6 ([defaults] forks)');
  t.same(r.ignored, ['[defaults] stdout_callback', '[ssh_connection] pipelining'], 'what muster does not use, for -v');
});

t.test('the command line over the environment over the file', async (t) => {
  const f = file('[defaults]\nremote_user = fromfile\nforks = 3\ntimeout = 9\nroles_path = r1\n');
  const env = { ANSIBLE_REMOTE_USER: 'fromenv', ANSIBLE_FORKS: '4', ANSIBLE_ROLES_PATH: 'envroles:/abs' };
  const r = resolveSettings({ remoteUser: 'fromcli' }, f, ctx(env));
  t.equal(r.settings.remoteUser, 'fromcli');
  t.equal(r.from.remoteUser, 'command line');
  t.equal(r.settings.forks, 4, 'the environment over the file');
  t.equal(r.from.forks, 'ANSIBLE_FORKS');
  t.equal(r.settings.timeout, 9, 'the file when nothing else says');
  t.same(r.settings.rolesPath, ['/work/site/envroles', '/abs'], 'environment paths are relative to the working directory');
  t.equal(resolveSettings({}, f, ctx({ ANSIBLE_REMOTE_USER: '' })).settings.remoteUser, 'fromfile', 'an empty variable counts as unset');
});

t.test("Ansible's defaults for roles and collections paths; become in [defaults] too", async (t) => {
  const r = resolveSettings({}, file('[defaults]\nbecome = yes\n'), ctx());
  t.same(r.settings.rolesPath, ['/home/me/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles']);
  t.same(r.settings.collectionsPath, ['/home/me/.ansible/collections', '/usr/share/ansible/collections']);
  t.equal(r.settings.become, true);
  t.same(resolveSettings({}, undefined, ctx()).ignored, [], 'no file, nothing ignored');
  t.equal(
    resolveSettings({}, file('[defaults]\nbecome = yes\n[privilege_escalation]\nbecome = no\n'), ctx()).settings.become,
    false,
    '[privilege_escalation] wins',
  );
});

t.test('$VAR, ${VAR} and {{CWD}} in paths', async (t) => {
  const r = resolveSettings({}, file('[defaults]\nroles_path = $TOP/roles:${TOP}/more:{{CWD}}/here:$NOPE/x\n'), ctx({ TOP: '/srv' }));
  t.same(r.settings.rolesPath, ['/srv/roles', '/srv/more', '/work/site/here', '/etc/ansible/$NOPE/x']);
});

const refused: { name: string; text?: string; env?: Record<string, string>; msg: RegExp; at?: number }[] = [
  {
    name: 'forks not a number',
    text: '[defaults]\nforks = many\n',
    msg: /ansible\.cfg:2 \(\[defaults\] forks\): "many" is not a positive whole number/,
    at: 2,
  },
  { name: 'forks zero', text: '[defaults]\nforks = 0\n', msg: /"0" is not a positive whole number/, at: 2 },
  { name: 'become not a boolean', text: '[privilege_escalation]\nbecome = perhaps\n', msg: /"perhaps" is not a boolean/, at: 2 },
  {
    name: 'become_method su',
    text: '[privilege_escalation]\nbecome_method = su\n',
    msg: /become_method "su" is not supported: muster becomes with sudo only/,
    at: 2,
  },
  { name: 'become_method from the environment', env: { ANSIBLE_BECOME_METHOD: 'doas' }, msg: /^ANSIBLE_BECOME_METHOD: become_method "doas"/ },
  { name: 'gathering unknown', text: '[defaults]\ngathering = lazy\n', msg: /gathering "lazy" is not implicit, explicit or smart/, at: 2 },
  { name: 'timeout from the environment', env: { ANSIBLE_TIMEOUT: '1.5' }, msg: /^ANSIBLE_TIMEOUT: "1.5" is not a positive whole number/ },
];

for (const c of refused)
  t.test(`refused: ${c.name}`, async (t) => {
    const err = t.throws(() => resolveSettings({}, c.text ? file(c.text) : undefined, ctx(c.env))) as MusterError;
    t.equal(err.code, 'E_SCHEMA');
    t.match(err.message, c.msg);
    t.ok(err.hint, 'says what to do');
    if (c.at) t.same(err.pos, { file: '/etc/ansible/ansible.cfg', line: c.at, col: 1 });
  });

t.test('become_method sudo, and one the command line makes moot, pass', async (t) => {
  t.equal(resolveSettings({}, file('[privilege_escalation]\nbecome_method = sudo\n'), ctx()).settings.becomeMethod, 'sudo');
  t.equal(resolveSettings({ forks: 2 }, file('[defaults]\nforks = nonsense\n'), ctx()).settings.forks, 2, 'only the winning value is read');
});

t.test('host_key_checking = False warns that keys are still verified; True or unset does not', async (t) => {
  const off = resolveSettings({}, file('[defaults]\nhost_key_checking = False\n'), ctx());
  t.match(settingWarnings(off), [
    /host_key_checking is off \(\/etc\/ansible\/ansible\.cfg:2 .*muster keeps verifying SSH host keys: pass --accept-new-host-keys/,
  ]);
  t.same(settingWarnings(resolveSettings({}, file('[defaults]\nhost_key_checking = True\n'), ctx())), []);
  t.same(settingWarnings(resolveSettings({}, undefined, ctx({ ANSIBLE_HOST_KEY_CHECKING: 'true' }))), []);
  t.match(settingWarnings(resolveSettings({}, undefined, ctx({ ANSIBLE_HOST_KEY_CHECKING: 'false' }))), [/\(ANSIBLE_HOST_KEY_CHECKING\)/]);
});
