/** Date filters: Ansible's strftime (Python's time.strftime) and to_datetime (datetime.strptime, printed as str()). */
import { toBool, toStr } from '../values.js';
import type { CallCtx, Filter } from './types.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Broken-down time, as C's struct tm holds it. */
export interface Tm {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  weekday: number; // 0 = Sunday
  yday: number; // 1-366
  offset: number | undefined; // minutes east of UTC
  zone: string;
}

const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);

function dayOfYear(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86400000) + 1;
}

/** The struct tm of an epoch second, in UTC or in the controller's time zone. */
export function brokenDown(epoch: number, utc: boolean): Tm {
  const d = new Date(Math.floor(epoch) * 1000);
  const get = utc
    ? { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, da: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), w: d.getUTCDay() }
    : { y: d.getFullYear(), mo: d.getMonth() + 1, da: d.getDate(), h: d.getHours(), mi: d.getMinutes(), s: d.getSeconds(), w: d.getDay() };
  const offset = utc ? 0 : -d.getTimezoneOffset();
  const zone = utc ? 'GMT' : (new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '');
  return {
    year: get.y,
    month: get.mo,
    day: get.da,
    hour: get.h,
    minute: get.mi,
    second: get.s,
    micro: 0,
    weekday: get.w,
    yday: dayOfYear(get.y, get.mo, get.da),
    offset,
    zone,
  };
}

function isoWeek(tm: Tm): [number, number] {
  const wd = (tm.weekday + 6) % 7; // Monday = 0
  const thursday = new Date(Date.UTC(tm.year, tm.month - 1, tm.day - wd + 3));
  const y = thursday.getUTCFullYear();
  return [y, Math.floor((thursday.getTime() - Date.UTC(y, 0, 1)) / 86400000 / 7) + 1];
}

function zoneOffset(tm: Tm): string {
  if (tm.offset === undefined) return '';
  const o = Math.abs(tm.offset);
  return `${tm.offset < 0 ? '-' : '+'}${pad(Math.floor(o / 60))}${pad(o % 60)}`;
}

/** C's strftime (glibc, C locale) for the directives Python passes through. */
export function strftime(ctx: CallCtx, format: string, tm: Tm): string {
  const h12 = tm.hour % 12 || 12;
  const directive = (c: string): string => {
    switch (c) {
      case 'a':
        return DAYS[tm.weekday].slice(0, 3);
      case 'A':
        return DAYS[tm.weekday];
      case 'b':
      case 'h':
        return MONTHS[tm.month - 1].slice(0, 3);
      case 'B':
        return MONTHS[tm.month - 1];
      case 'c':
        return `${directive('a')} ${directive('b')} ${pad(tm.day, 2, ' ')} ${directive('T')} ${tm.year}`;
      case 'C':
        return pad(Math.floor(tm.year / 100));
      case 'd':
        return pad(tm.day);
      case 'D':
        return `${directive('m')}/${directive('d')}/${directive('y')}`;
      case 'e':
        return pad(tm.day, 2, ' ');
      case 'F':
        return `${tm.year}-${pad(tm.month)}-${pad(tm.day)}`;
      case 'G':
        return String(isoWeek(tm)[0]);
      case 'g':
        return pad(isoWeek(tm)[0] % 100);
      case 'H':
        return pad(tm.hour);
      case 'I':
        return pad(h12);
      case 'j':
        return pad(tm.yday, 3);
      case 'k':
        return pad(tm.hour, 2, ' ');
      case 'l':
        return pad(h12, 2, ' ');
      case 'm':
        return pad(tm.month);
      case 'M':
        return pad(tm.minute);
      case 'n':
        return '\n';
      case 'p':
        return tm.hour < 12 ? 'AM' : 'PM';
      case 'P':
        return tm.hour < 12 ? 'am' : 'pm';
      case 'r':
        return `${pad(h12)}:${pad(tm.minute)}:${pad(tm.second)} ${directive('p')}`;
      case 'R':
        return `${pad(tm.hour)}:${pad(tm.minute)}`;
      case 's':
        return String(Math.floor(Date.UTC(tm.year, tm.month - 1, tm.day, tm.hour, tm.minute, tm.second) / 1000) - (tm.offset ?? 0) * 60);
      case 'S':
        return pad(tm.second);
      case 't':
        return '\t';
      case 'T':
        return `${pad(tm.hour)}:${pad(tm.minute)}:${pad(tm.second)}`;
      case 'u':
        return String(tm.weekday || 7);
      case 'U':
        return pad(Math.floor((tm.yday - 1 - tm.weekday + 7) / 7));
      case 'V':
        return pad(isoWeek(tm)[1]);
      case 'w':
        return String(tm.weekday);
      case 'W':
        return pad(Math.floor((tm.yday - 1 - ((tm.weekday + 6) % 7) + 7) / 7));
      case 'x':
        return directive('D');
      case 'X':
        return directive('T');
      case 'y':
        return pad(tm.year % 100);
      case 'Y':
        return String(tm.year);
      case 'z':
        return zoneOffset(tm);
      case 'Z':
        return tm.zone;
      case '%':
        return '%';
      default:
        return ctx.fail(`strftime: unsupported directive %${c}`, 'see the directives of the strftime(3) manual page');
    }
  };
  return format.replace(/%([A-Za-z%])/g, (_m, c: string) => directive(c));
}

const MONTH_RE = MONTHS.map((m) => `${m}|${m.slice(0, 3)}`).join('|');
const DAY_RE = DAYS.map((d) => `${d}|${d.slice(0, 3)}`).join('|');
const PARSERS: Record<string, string> = {
  Y: '(\\d{4})',
  m: '(1[0-2]|0[1-9]|[1-9])',
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  f: '(\\d{1,6})',
  y: '(\\d\\d)',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  p: '(am|pm)',
  b: `(${MONTH_RE})`,
  B: `(${MONTH_RE})`,
  a: `(${DAY_RE})`,
  A: `(${DAY_RE})`,
  z: '(Z|[+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?)',
};

/** Python's datetime.strptime, rendered as str(datetime): '2024-05-01 13:45:00' (with .ffffff and the offset when set). */
export function toDatetime(ctx: CallCtx, text: string, format: string): string {
  const fields: string[] = [];
  let re = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%' && i + 1 < format.length) {
      const d = format[++i];
      if (d === '%') re += '%';
      else if (Object.hasOwn(PARSERS, d)) {
        re += PARSERS[d];
        fields.push(d);
      } else ctx.fail(`to_datetime: unsupported directive %${d}`, 'use %Y %m %d %H %M %S %f %y %j %I %p %b %B %a %A %z');
    } else if (/\s/.test(c)) re += '\\s+';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const m = new RegExp(`^${re}$`, 'i').exec(text);
  if (!m) return ctx.fail(`to_datetime: time data '${text}' does not match format '${format}'`, "give the format: x | to_datetime('%Y-%m-%d')");
  const tm = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0, pm: undefined as boolean | undefined, yday: 0, zone: '' };
  fields.forEach((f, i) => {
    const v = m[i + 1];
    const n = Number(v);
    if (f === 'Y') tm.year = n;
    else if (f === 'y') tm.year = n < 69 ? 2000 + n : 1900 + n;
    else if (f === 'm') tm.month = n;
    else if (f === 'd') tm.day = Number(v.trim());
    else if (f === 'H' || f === 'I') tm.hour = n;
    else if (f === 'M') tm.minute = n;
    else if (f === 'S') tm.second = n;
    else if (f === 'f') tm.micro = Number(v.padEnd(6, '0'));
    else if (f === 'j') tm.yday = n;
    else if (f === 'p') tm.pm = v.toLowerCase() === 'pm';
    else if (f === 'b' || f === 'B') tm.month = MONTHS.findIndex((x) => x.slice(0, 3).toLowerCase() === v.slice(0, 3).toLowerCase()) + 1;
    else if (f === 'z') tm.zone = v;
  });
  if (tm.pm !== undefined && fields.includes('I')) tm.hour = (tm.hour % 12) + (tm.pm ? 12 : 0);
  if (tm.yday && !fields.includes('m') && !fields.includes('d')) {
    const d = new Date(Date.UTC(tm.year, 0, tm.yday));
    tm.month = d.getUTCMonth() + 1;
    tm.day = d.getUTCDate();
  }
  const valid = new Date(Date.UTC(tm.year, tm.month - 1, tm.day));
  if (valid.getUTCDate() !== tm.day) ctx.fail(`to_datetime: day is out of range for month in '${text}'`);
  let out = `${pad(tm.year, 4)}-${pad(tm.month)}-${pad(tm.day)} ${pad(tm.hour)}:${pad(tm.minute)}:${pad(tm.second)}`;
  if (tm.micro) out += `.${pad(tm.micro, 6)}`;
  if (tm.zone) {
    const z = tm.zone.toUpperCase() === 'Z' ? '+0000' : tm.zone.replace(/:/g, '');
    out += `${z.slice(0, 3)}:${z.slice(3, 5)}${z.length > 5 ? `:${z.slice(5, 7)}` : ''}`;
  }
  return out;
}

/** Ansible's date filters. */
export const timeFilters: Record<string, Filter> = {
  strftime: {
    params: ['second', 'utc'],
    fn: (v, [second, utc], ctx) => {
      let epoch = Date.now() / 1000;
      if (second !== undefined && second !== null) {
        epoch = typeof second === 'number' ? second : Number(toStr(second).trim());
        if (toStr(second).trim() === '' || Number.isNaN(epoch))
          ctx.fail(`Invalid value for epoch value (${toStr(second)})`, 'give seconds since 1970, e.g. 1700000000');
      }
      return strftime(ctx, toStr(v), brokenDown(epoch, toBool(utc)));
    },
  },
  to_datetime: { params: ['format'], fn: (v, [format], ctx) => toDatetime(ctx, toStr(v), toStr(format ?? '%Y-%m-%d %H:%M:%S')) },
};
