import t from 'tap';
import { modules } from '../../../../controller/modules/system/index.js';

t.test('exports every system module once, documented', async (t) => {
  t.same(modules.map((m) => m.name).sort(), [
    'alternatives',
    'apt',
    'authorized_key',
    'cron',
    'deb822_repository',
    'getent',
    'group',
    'hostname',
    'locale_gen',
    'modprobe',
    'mount',
    'package',
    'pam_limits',
    'service',
    'service_facts',
    'sysctl',
    'systemd',
    'systemd_service',
    'timezone',
    'user',
  ]);
  for (const m of modules) t.type((m as { summary?: unknown }).summary, 'string', `${m.name} has a summary`);
});

t.test('every default fits its own choices, and secrets are marked', async (t) => {
  for (const m of modules) {
    for (const [name, spec] of Object.entries(m.args)) {
      if (spec.choices && spec.default !== undefined) t.ok(spec.choices.includes(spec.default as string), `${m.name}.${name}`);
    }
  }
  const user = modules.find((m) => m.name === 'user');
  t.equal(user?.args.password.secret, true);
});
