#!/usr/bin/env bash
# The main job on a local lab: 3 real hosts (sshd + systemd in containers on 127.0.0.1 ports) get the site
# playbook (base system, Docker, the muster agent under systemd; k3s is off in the lab), twice (the second
# run changes nothing), then `muster nodes` reads every agent over HTTPS, `muster deploy` places a small stack
# (examples/stacks/lab.yml) onto them, shipping its image from this machine, and `muster ps` shows it.
# Usage: bash examples/lab-site.sh [COUNT]   (stop the lab with: node test/lab/cli.mjs down --name demo)
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/setup
COUNT=${1:-3}
START=$SECONDS

command -v docker >/dev/null && command -v debootstrap >/dev/null && [ -x /bin/busybox ] || install_packages
check_node
start_dockerd
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent
node test/lab/cli.mjs build
INV=$(node examples/lab-site.mjs demo "$COUNT")

export MUSTER_KNOWN_HOSTS=.lab/demo/known_hosts
# The lab's fleet CA, certificates, tokens and nodes.json stay with the lab, not in your own state directory.
export MUSTER_STATE_DIR=.lab/demo/state
echo "==> first run: base, Docker and the agent on $COUNT hosts"
node bin/muster.js play -i "$INV" site
echo "==> second run: nothing to change"
node bin/muster.js play -i "$INV" site
echo "==> the fleet, read from its agents"
node bin/muster.js nodes -i "$INV"
echo "==> a stack onto the fleet, its image shipped from this machine's Docker"
if ! docker image inspect muster-busybox:1 >/dev/null 2>&1; then
  root=$(mktemp -d)
  mkdir -p "$root/bin" && cp /bin/busybox "$root/bin/"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"; done
  tar -C "$root" -c . | docker import - muster-busybox:1 >/dev/null
  rm -rf "$root"
fi
node bin/muster.js deploy -i "$INV" examples/stacks/lab.yml --ship-images
node bin/muster.js ps -i "$INV"
echo "==> done in $((SECONDS - START)) s"
