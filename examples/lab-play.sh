#!/usr/bin/env bash
# The main job on a local default: a lab of 3 real hosts (sshd + systemd in containers on 127.0.0.1 ports),
# prepared with playbooks/prepare.yml, then the same run again to show that nothing changes.
# Usage: bash examples/lab-play.sh [COUNT]   (stop the lab with: node test/lab/cli.mjs down --name demo)
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/setup
COUNT=${1:-3}

command -v docker >/dev/null && command -v debootstrap >/dev/null || install_packages
check_node
start_dockerd
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent
node test/lab/cli.mjs build
node test/lab/cli.mjs up --name demo --count "$COUNT"

export MUSTER_KNOWN_HOSTS=.lab/demo/known_hosts
echo "==> first run: prepares the hosts"
node bin/muster.js play -i .lab/demo/inventory.yml playbooks/prepare.yml
echo "==> second run: nothing to change"
node bin/muster.js play -i .lab/demo/inventory.yml playbooks/prepare.yml
