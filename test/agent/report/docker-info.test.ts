import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseDockerInfo } from '../../../agent/report/docker-info.js';

const json = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/agent/${name}`, import.meta.url), 'utf8'));

t.test('docker info -> what the report keeps', async (t) => {
  const rows: { name: string; input: unknown; want: ReturnType<typeof parseDockerInfo> }[] = [
    {
      name: 'recorded: Docker 20.10 on this cgroup v1 hybrid VM',
      input: json('docker-info-20.10-hybrid-recorded.json'),
      want: {
        version: '20.10.24+dfsg1',
        cgroupDriver: 'cgroupfs',
        cgroupVersion: '1',
        memoryLimit: true,
        swapLimit: true,
        warnings: [],
        dataRoot: '/var/lib/docker',
      },
    },
    {
      name: 'Pi 5 booted without the memory controller',
      input: json('docker-info-26-pi5-nomemory.json'),
      want: {
        version: '26.1.5+dfsg1',
        cgroupDriver: 'systemd',
        cgroupVersion: '2',
        memoryLimit: false,
        swapLimit: false,
        warnings: ['WARNING: No memory limit support', 'WARNING: No swap limit support'],
        dataRoot: '/var/lib/docker',
      },
    },
    {
      name: 'odd shapes are tolerated',
      input: { ServerVersion: 7, MemoryLimit: 'yes', Warnings: ['a', 3, null], DockerRootDir: '' },
      want: { version: null, cgroupDriver: null, cgroupVersion: null, memoryLimit: false, swapLimit: false, warnings: ['a'], dataRoot: null },
    },
  ];
  for (const r of rows) t.same(parseDockerInfo(r.input), r.want, r.name);
  for (const bad of [null, undefined, 'x', 3, []]) {
    t.same(
      parseDockerInfo(bad),
      { version: null, cgroupDriver: null, cgroupVersion: null, memoryLimit: false, swapLimit: false, warnings: [], dataRoot: null },
      `not an object: ${JSON.stringify(bad)}`,
    );
  }
});
