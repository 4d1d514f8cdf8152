import t from 'tap';
import { imageArch, parsePlatform, platformName, runsOn, type Platform } from '../../../agent/report/platform.js';

t.test('image architecture normalisation', async (t) => {
  const rows: [string, string | undefined, string][] = [
    ['amd64', undefined, 'amd64'],
    ['amd64', '', 'amd64'],
    ['arm64', 'v8', 'arm64'],
    ['arm64', undefined, 'arm64'],
    ['aarch64', undefined, 'arm64'],
    ['x86_64', undefined, 'amd64'],
    ['arm', 'v7', 'arm/v7'],
    ['arm', undefined, 'arm/v7'],
    ['arm', 'v6', 'arm/v6'],
    ['ARM', 'V6', 'arm/v6'],
    ['386', undefined, '386'],
    ['riscv64', undefined, 'riscv64'],
    ['mips64le', undefined, 'mips64le'],
  ];
  for (const [arch, variant, want] of rows) t.equal(imageArch(arch, variant), want, `${arch} ${variant ?? '-'} -> ${want}`);
});

t.test('platform strings', async (t) => {
  const rows: [string, Platform | undefined][] = [
    ['linux/arm64', { os: 'linux', arch: 'arm64' }],
    ['linux/arm64/v8', { os: 'linux', arch: 'arm64' }],
    ['linux/arm/v7', { os: 'linux', arch: 'arm/v7' }],
    ['linux/arm', { os: 'linux', arch: 'arm/v7' }],
    [' Linux/AMD64 ', { os: 'linux', arch: 'amd64' }],
    ['linux', undefined],
    ['linux/', undefined],
    ['/amd64', undefined],
    ['linux/arm/v7/x', undefined],
    ['linux/am d64', undefined],
    ['', undefined],
  ];
  for (const [text, want] of rows) t.same(parsePlatform(text), want, JSON.stringify(text));
  t.equal(platformName({ os: 'linux', arch: 'arm/v7' }), 'linux/arm/v7');
});

t.test('which image platforms run on which node', async (t) => {
  const p = (s: string): Platform => parsePlatform(s)!;
  const rows: [string, string, boolean][] = [
    ['linux/amd64', 'linux/amd64', true],
    ['linux/arm64', 'linux/amd64', false],
    ['linux/amd64', 'linux/arm64', false],
    ['linux/arm64', 'linux/arm64', true],
    ['linux/arm/v7', 'linux/arm64', true],
    ['linux/arm/v6', 'linux/arm64', true],
    ['linux/arm64', 'linux/arm/v7', false],
    ['linux/arm/v6', 'linux/arm/v7', true],
    ['linux/arm/v7', 'linux/arm/v6', false],
    ['linux/386', 'linux/amd64', true],
    ['windows/amd64', 'linux/amd64', false],
    ['linux/riscv64', 'linux/riscv64', true],
  ];
  for (const [image, node, want] of rows) t.equal(runsOn(p(image), p(node)), want, `${image} on ${node}`);
});
