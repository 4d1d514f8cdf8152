import t from 'tap';
import { readFileSync } from 'node:fs';
import { normaliseArch, parsePiModel } from '../../../agent/report/platform.js';

t.test('architecture normalisation', async (t) => {
  const rows: [string, string | null][] = [
    ['x86_64', 'amd64'],
    ['aarch64', 'arm64'],
    ['armv7l', 'arm/v7'],
    ['armv6l', 'arm/v6'],
    ['armv8l', 'arm/v7'],
    ['i686', '386'],
    ['riscv64', 'riscv64'],
    ['x86_64\n', 'amd64'],
    ['mips', null],
    ['', null],
  ];
  for (const [raw, want] of rows) {
    const got = normaliseArch(raw);
    t.equal(got.normalised, want, `${JSON.stringify(raw)} -> ${want}`);
    t.equal(got.raw, raw.trim(), 'raw kept');
  }
});

t.test('Raspberry Pi model from the device tree', async (t) => {
  const file = (name: string): string => readFileSync(new URL(`../../fixtures/agent/hosts/${name}/proc/device-tree/model`, import.meta.url), 'utf8');
  const rows: [string | undefined, string | null][] = [
    [file('pi4-bookworm-v2'), 'Raspberry Pi 4 Model B Rev 1.4'],
    [file('pi5-v2-nomemory'), 'Raspberry Pi 5 Model B Rev 1.0'],
    [file('pi3-v1-nomemory'), 'Raspberry Pi 3 Model B Rev 1.2'],
    ['Raspberry Pi Zero 2 W Rev 1.0\0\0', 'Raspberry Pi Zero 2 W Rev 1.0'],
    ['Pine64 RockPro64 v2.1\0', null],
    [undefined, null],
    ['', null],
  ];
  for (const [text, want] of rows) t.equal(parsePiModel(text), want, JSON.stringify(text));
});
