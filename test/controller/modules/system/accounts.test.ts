import t from 'tap';
import { missingToolsMsg, parseGroup, parsePasswd } from '../../../../controller/modules/system/accounts.js';

t.test('parsePasswd', async (t) => {
  t.same(parsePasswd('alice:x:1000:1000:Alice A,,,:/home/alice:/bin/bash\n'), {
    name: 'alice',
    uid: 1000,
    gid: 1000,
    comment: 'Alice A,,,',
    home: '/home/alice',
    shell: '/bin/bash',
  });
  t.equal(parsePasswd(''), undefined);
  t.equal(parsePasswd('garbage'), undefined);
});

t.test('parseGroup', async (t) => {
  t.same(parseGroup('docker:x:998:alice,bob'), { name: 'docker', gid: 998, members: ['alice', 'bob'] });
  t.same(parseGroup('empty:x:5:'), { name: 'empty', gid: 5, members: [] });
  t.equal(parseGroup(''), undefined);
});

t.test('missingToolsMsg names the package', async (t) => {
  t.match(missingToolsMsg(['useradd']), /useradd not found on the host.*"passwd" package/);
});
