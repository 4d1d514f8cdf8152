/**
 * Helpers for the Docker module tests: recorded inspect output, and a stand-in `docker` (POSIX sh) that
 * keeps volumes, networks and images as JSON files in a temp directory, so the modules' scripts run for real
 * with dash without a Docker engine.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeArgs } from '../../../../controller/modules/args.js';
import type { Args, Module } from '../../../../controller/modules/types.js';

/** A recorded fixture file of this directory, parsed as JSON. */
export function fixture(name: string): Record<string, unknown>[] {
  return JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'));
}

/** A recorded fixture file's text. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
}

// KIND inspect NAME -> objects/KIND-NAME.json; KIND create [--flag value]... [--label k=v]... NAME -> writes it;
// KIND rm NAME -> removes it. Every call is appended to calls.log.
const STANDIN = `#!/bin/sh
dir=$(dirname "$0")/..
echo "$*" >> "$dir/calls.log"
kind=$1; verb=$2; shift 2
case "$verb" in
inspect)
  for n in "$@"; do :; done
  [ -f "$dir/objects/$kind-$n.json" ] || { echo "Error: No such $kind: $n" >&2; exit 1; }
  printf '[%s]\\n' "$(cat "$dir/objects/$kind-$n.json")" ;;
create)
  driver=local; labels=''
  while [ $# -gt 1 ]; do
    case "$1" in
      --driver) driver=$2; shift 2 ;;
      --label) k=\${2%%=*}; v=\${2#*=}; labels="$labels\${labels:+,}\\"$k\\":\\"$v\\""; shift 2 ;;
      --*=*) shift ;;
      --internal|--attachable|--ipv6|--ingress|--config-only) shift ;;
      *) shift 2 ;;
    esac
  done
  printf '{"Name":"%s","Driver":"%s","Labels":{%s},"Options":{},"Containers":{}}' "$1" "$driver" "$labels" > "$dir/objects/$kind-$1.json"
  echo "$1" ;;
rm) rm "$dir/objects/$kind-$1.json" || exit 1 ;;
*) echo "stand-in docker: $kind $verb not supported" >&2; exit 1 ;;
esac
`;

/** Installs the stand-in docker in `dir`; returns the dash options (cwd, env) that put it first on PATH. */
export function fakeDocker(dir: string): { cwd: string; env: Record<string, string> } {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'objects'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'docker'), STANDIN);
  chmodSync(join(dir, 'bin', 'docker'), 0o755);
  return { cwd: dir, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}` } };
}

/** Arguments as the runner hands them over: aliases resolved, defaults applied, values coerced. */
export function argsOf(m: Module, given: Record<string, unknown>): Args {
  return normalizeArgs(m, given, {});
}
