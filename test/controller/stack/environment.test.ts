/** A service's env_file and environment, read into the stack model. */
import t from 'tap';
import { errorOf, svc, where } from './harness.js';

t.test('environment: map or list, env_file first, null and bare names from the environment', async (t) => {
  const env = { FROM_ENV: 'e', EMPTY: '' };
  t.same(svc('image: x\nenvironment:\n  A: 1\n  B: "two"\n  C: true\n  D:\n  FROM_ENV:\n  E: ""', { env }).env, {
    A: '1',
    B: 'two',
    C: 'true',
    FROM_ENV: 'e',
    E: '',
  });
  t.same(svc('image: x\nenvironment:\n  - A=1\n  - B=x=y\n  - C=\n  - FROM_ENV\n  - NOT_SET\n  - EMPTY', { env }).env, {
    A: '1',
    B: 'x=y',
    C: '',
    FROM_ENV: 'e',
    EMPTY: '',
  });
  t.same(svc('image: x\nenvironment:\n  - DEBUG=yes\n  - N=010').env, { DEBUG: 'yes', N: '010' }, 'list values are strings as written');
  t.same(
    svc('image: x\nenvironment:\n  DEBUG: yes\n  PORT: 0080\n  MODE: 0755').env,
    { DEBUG: 'yes', PORT: '80', MODE: '493' },
    'as yaml.v3 reads them: yes a string, 0755 octal',
  );
  const bad = errorOf(() => svc('image: x\nenvironment:\n  - =x'));
  t.equal(where(bad), 'stack.yml:5:9');
  const files = { '/srv/stacks/home/app.env': 'A=file\nB=file\n# c\nREF=${FROM_ENV}', '/srv/stacks/common.env': 'Z=z' };
  const s = svc('image: x\nenv_file:\n  - app.env\n  - ../common.env\nenvironment:\n  B: env', { env, files });
  t.same(s.env, { A: 'file', B: 'env', REF: 'e', Z: 'z' }, 'environment over env_file; env_file interpolated');
  t.same(svc('image: x\nenv_file: app.env', { files }).env.A, 'file', 'a single path');
  const missing = errorOf(() => svc('image: x\nenv_file:\n  - app.env\n  - nope.env', { files }));
  t.equal(missing.code, 'E_FILE');
  t.equal(missing.message, 'services.s.env_file[1]: cannot read env file nope.env: no such file');
  t.equal(where(missing), 'stack.yml:6:9');
  t.same(
    svc('image: x\nenv_file:\n  - path: nope.env\n    required: false\n  - path: app.env', { files }).env.A,
    'file',
    'required: false skips a missing file',
  );
  const badLine = errorOf(() => svc('image: x\nenv_file: bad.env', { files: { '/srv/stacks/home/bad.env': 'A=1\nwhat is this\n' } }));
  t.equal(where(badLine), 'bad.env:2:5', 'an error inside an env file points into it');
});
