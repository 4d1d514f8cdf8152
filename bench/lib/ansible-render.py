#!/usr/bin/python3
"""Renders templates the way ansible-core's `template` action does, for the compatibility bench.

Reads a JSON job list on stdin: [{"id", "src", "searchpath": [...], "vars": {...}}, ...] and prints one
JSON object per job on stdout: {"id", "ok": true, "out"} or {"id", "ok": false, "error"}. With the
argument `vars`, the jobs are [{"id", "files": [...]}] instead: each list of YAML variable files is loaded
with Ansible's own loader and merged, later files winning, and printed as {"id", "ok", "vars"}. The variables
come in as plain JSON (both sides of the comparison get the very same values); the environment is the
one the action plugin builds: AnsibleEnvironment, trim_blocks, and the trailing newlines of the source
kept.
"""
import json
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.template import AnsibleEnvironment, Templar


def render(job, loader):
    with open(job['src'], 'rb') as f:
        data = f.read().decode('utf-8')
    # the `#jinja2:` first line is read by do_template itself
    overrides = {'trim_blocks': True, 'lstrip_blocks': False, 'newline_sequence': '\n'}
    templar = Templar(loader=loader, variables={})
    templar = templar.copy_with_new_env(environment_class=AnsibleEnvironment, searchpath=job['searchpath'],
                                        available_variables=job['vars'], **overrides)
    return templar.do_template(data, preserve_trailing_newlines=True, escape_backslashes=False)


def load_vars(job, loader):
    merged = {}
    for path in job['files']:
        data = loader.load_from_file(path)
        if isinstance(data, dict):
            merged.update(data)
    # through JSON, so that both renderers get plain values
    return json.loads(json.dumps(merged, default=str))


def main():
    jobs = json.load(sys.stdin)
    loader = DataLoader()
    if sys.argv[1:] == ['vars']:
        for job in jobs:
            try:
                out = {'id': job['id'], 'ok': True, 'vars': load_vars(job, loader)}
            except Exception as e:
                out = {'id': job['id'], 'ok': False, 'error': '%s: %s' % (type(e).__name__, str(e).split('\n')[0][:300])}
            sys.stdout.write(json.dumps(out) + '\n')
        return
    for job in jobs:
        try:
            out = {'id': job['id'], 'ok': True, 'out': render(job, loader)}
        except Exception as e:  # every failure is a result to report, not a crash
            out = {'id': job['id'], 'ok': False, 'error': '%s: %s' % (type(e).__name__, str(e).split('\n')[0][:300])}
        sys.stdout.write(json.dumps(out) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
