import t from 'tap';
import { failures, table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('dates filters', async (t) =>
  table(t, [
    ["'%Y-%m-%d %H:%M:%S' | strftime(1700000000, utc=true)", '2023-11-14 22:13:20'],
    [
      "'%a %A %b %B %c %d %e %j %p %I %y %C %u %w %U %W %V %G %g %D %F %T %R %r %x %X %%' | strftime(1700000000, utc=true)",
      'Tue Tuesday Nov November Tue Nov 14 22:13:20 2023 14 14 318 PM 10 23 20 2 2 46 46 46 2023 23 11/14/23 2023-11-14 22:13:20 22:13 10:13:20 PM 11/14/23 22:13:20 %',
    ],
    ["'%Z %z' | strftime(1700000000, utc=true)", 'GMT +0000'],
    ["'%H:%M' | strftime(86399)", '23:59'],
    ["'%U %W %V %G %j' | strftime(1704067200, utc=true)", '00 01 01 2024 001'],
    ["'%U %W %V %G %j' | strftime(1735603200, utc=true)", '52 53 01 2025 366'],
    ["'2024-05-01 13:45:00' | to_datetime", '2024-05-01 13:45:00'],
    ["'2024-05-01' | to_datetime('%Y-%m-%d')", '2024-05-01 00:00:00'],
    ["'01/05/24 1:02 PM' | to_datetime('%d/%m/%y %I:%M %p')", '2024-05-01 13:02:00'],
    ["'2024-05-01T13:45:00.25' | to_datetime('%Y-%m-%dT%H:%M:%S.%f')", '2024-05-01 13:45:00.250000'],
    ["'2024-05-01 13:45:00+0200' | to_datetime('%Y-%m-%d %H:%M:%S%z')", '2024-05-01 13:45:00+02:00'],
    ["'May 3 2024' | to_datetime('%b %d %Y')", '2024-05-03 00:00:00'],
    ["'2024 060' | to_datetime('%Y %j')", '2024-02-29 00:00:00'],
  ]),
);

t.test('dates filters: errors', async (t) =>
  failures(t, [
    ["'%Y' | strftime('abc')", /Invalid value for epoch value \(abc\)/],
    ["'2024-02-30' | to_datetime('%Y-%m-%d')", /to_datetime: day is out of range for month in '202/],
    ["'2024-05-01' | to_datetime", /to_datetime: time data '2024-05-01' does not match/],
  ]),
);
