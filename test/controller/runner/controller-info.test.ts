// The controller as playbooks see it (muster_controller): Node's architecture names and this process's facts.
import t from 'tap';
import { controllerInfo, nodeArchOf } from '../../../controller/runner/controller-info.js';

t.test('nodeArchOf names architectures as Node release tarballs do', async (t) => {
  const cases: [string, string | number | undefined, string][] = [
    ['x64', undefined, 'x64'],
    ['arm64', undefined, 'arm64'],
    ['arm', 7, 'armv7l'],
    ['arm', '6', 'armv6l'],
    ['arm', undefined, 'armv7l'],
  ];
  for (const [arch, v, want] of cases) t.equal(nodeArchOf(arch, v), want, `${arch} ${v}`);
});

t.test('controllerInfo describes this process', async (t) => {
  const info = controllerInfo();
  t.equal(info.node, process.execPath);
  t.equal(info.node_version, process.versions.node);
  t.equal(info.node_arch, nodeArchOf(process.arch));
  const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
  t.equal(info.libc, glibc ? 'glibc' : 'musl');
  t.equal(info.glibc_version, glibc ?? null);
});
