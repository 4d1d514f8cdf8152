import t from 'tap';
import { certificateNames, parseListen } from '../../../controller/cli/serve.js';

t.test('parseListen: ADDRESS:PORT and [v6]:PORT; anything else names the option', async (t) => {
  t.same(parseListen('127.0.0.1:7480'), { host: '127.0.0.1', port: 7480 });
  t.same(parseListen('[::1]:1'), { host: '::1', port: 1 });
  t.same(parseListen('manager.lan:65535'), { host: 'manager.lan', port: 65535 });
  for (const bad of ['127.0.0.1', ':7480', '127.0.0.1:0', '127.0.0.1:65536', '::1:7480', 'a:b'])
    t.throws(() => parseListen(bad), { code: 'E_OPTION', message: `--listen wants ADDRESS:PORT, such as 127.0.0.1:7480, got "${bad}"` }, bad);
});

t.test('certificateNames: the listen address, or the machine for a wildcard, and the extra names', async (t) => {
  t.same(certificateNames('127.0.0.1', [], 'box'), ['127.0.0.1']);
  t.same(certificateNames('manager.lan', ['10.0.0.5'], 'box'), ['manager.lan', 'localhost', '10.0.0.5']);
  t.same(certificateNames('0.0.0.0', ['box', 'nas.lan'], 'box'), ['box', 'localhost', '127.0.0.1', 'nas.lan']);
  t.same(certificateNames('::', [], 'box'), ['box', 'localhost', '127.0.0.1']);
});
