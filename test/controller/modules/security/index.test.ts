import t from 'tap';
import { modules } from '../../../../controller/modules/security/index.js';
import { getModule } from '../../../../controller/modules/index.js';

t.test('exports every security module once, documented and registered', async (t) => {
  t.same(modules.map((m) => m.name).sort(), ['iptables', 'known_hosts', 'openssh_keypair', 'ufw']);
  for (const m of modules) {
    t.type(m.summary, 'string', `${m.name} has a summary`);
    t.equal(m.checkMode, true, `${m.name} supports check mode`);
    t.equal(getModule(m.name)?.name, m.name, `${m.name} is in the registry`);
  }
});

t.test('every default fits its own choices, and secrets are marked', async (t) => {
  for (const m of modules) {
    for (const [name, spec] of Object.entries(m.args)) {
      if (spec.choices && spec.default !== undefined) t.ok(spec.choices.includes(spec.default as string), `${m.name}.${name}`);
    }
  }
  t.equal(modules.find((m) => m.name === 'openssh_keypair')?.args.passphrase.secret, true);
});
