import t from 'tap';
import { newlineSequence, template, withNewlines } from '../../../../controller/modules/files/template.js';
import type { Script } from '../../../../controller/command.js';
import { localContext, out } from './helpers.js';

t.test('newline_sequence', async (t) => {
  t.equal(newlineSequence(undefined), '\n');
  t.equal(newlineSequence('\\r\\n'), '\r\n', 'the escaped form single-quoted YAML gives');
  t.equal(newlineSequence('\r\n'), '\r\n');
  t.equal(newlineSequence('x'), undefined);
  t.equal(withNewlines('a\nb\r\nc', '\r\n'), 'a\r\nb\r\nc');
  t.equal(withNewlines('a\nb', '\n'), 'a\nb');
  t.equal(template.validate?.({ src: 'a', dest: 'b', newline_sequence: 'x' }), 'newline_sequence must be one of \\n, \\r, \\r\\n');
  t.equal(template.validate?.({ src: 'a', dest: 'b', validate: 'nginx -t' }), 'validate must contain %s (the file to check): nginx -t');
});

t.test('template renders with the host vars and plans like copy', async (t) => {
  const ctx = localContext({ files: { 'app.conf.j2': 'port={{ port }}\n' }, vars: { port: 8080 }, check: true });
  const probes: Script[] = [];
  ctx.exec = async (script) => {
    probes.push(script);
    return out(['destdir 1', 'path /etc/app/app.conf.j2', 'stat -', 'parent 1']);
  };
  const r = await template.run({ src: 'app.conf.j2', dest: '/etc/app', force: true, backup: false, mode: '0640' }, ctx);
  t.match(probes[0].text, 'p=/etc/app/app.conf.j2');
  t.match(r, {
    changed: true,
    diff: [{ path: '/etc/app/app.conf.j2', before: '', after: 'port=8080\n' }],
    data: { dest: '/etc/app/app.conf.j2', mode: '0640', src: '/controller/files/app.conf.j2' },
  });
});
