import t from 'tap';
import { modules } from '../../../../controller/modules/docker/index.js';

t.test('exports every Docker module once, documented, check mode supported', async (t) => {
  t.same(modules.map((m) => m.name).sort(), ['docker_compose_v2', 'docker_container', 'docker_image', 'docker_network', 'docker_volume']);
  for (const m of modules) {
    t.type(m.summary, 'string', `${m.name} has a summary`);
    t.equal(m.checkMode, true, `${m.name} supports --check`);
  }
});

t.test('every default fits its own choices; ignored arguments say why', async (t) => {
  for (const m of modules) {
    for (const [name, spec] of Object.entries(m.args)) {
      if (spec.choices && spec.default !== undefined) t.ok(spec.choices.includes(spec.default as string), `${m.name}.${name}`);
      if (spec.ignored !== undefined) t.ok(spec.ignored.length > 10, `${m.name}.${name} says why it is ignored`);
    }
  }
});
