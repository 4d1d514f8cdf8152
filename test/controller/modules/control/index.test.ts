import t from 'tap';
import { modules } from '../../../../controller/modules/control/index.js';
import type { ControlModule } from '../../../../controller/modules/control/spec.js';

t.test('every control module is exported once, with a summary and typed arguments', async (t) => {
  const names = modules.map((m) => m.name);
  t.same([...names].sort(), ['assert', 'debug', 'fail', 'gather_facts', 'meta', 'pause', 'reboot', 'set_fact', 'setup', 'wait_for', 'wait_for_connection']);
  for (const m of modules as ControlModule[]) {
    t.ok(m.summary.length > 10, `${m.name} has a summary`);
    for (const [arg, spec] of Object.entries(m.args)) {
      if (spec.default !== undefined && spec.choices) t.ok(spec.choices.includes(spec.default as string), `${m.name}.${arg} default is a choice`);
      t.notOk(spec.required && spec.default !== undefined, `${m.name}.${arg} is not both required and defaulted`);
    }
  }
  const local = modules.filter((m) => m.local).map((m) => m.name).sort();
  t.same(local, ['assert', 'debug', 'fail', 'meta', 'pause', 'set_fact'], 'only these run without a connection');
});
