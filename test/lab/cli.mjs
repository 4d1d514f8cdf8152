#!/usr/bin/env node
// node test/lab/cli.mjs build [--force] [--suite S] | up [--name N] [--count K] [--docker] | down [--name N | --all] | status
import path from 'node:path'
import { buildImage, startLab, stopLab, listLabs, imageOf } from './lab.mjs'

const [cmd, ...rest] = process.argv.slice(2)
const opts = {}
for (let i = 0; i < rest.length; i++) {
  const m = rest[i].match(/^--([a-z-]+)(?:=(.*))?$/)
  if (!m) usage(`unexpected argument: ${rest[i]}`)
  const boolean = ['force', 'docker', 'all'].includes(m[1])
  opts[m[1]] = m[2] ?? (boolean ? true : rest[++i])
  if (opts[m[1]] === undefined) usage(`--${m[1]} needs a value`)
}

function usage (err) {
  if (err) console.error(`error: ${err}`)
  console.error('usage: lab build [--force] [--suite S] | up [--name N] [--count K] [--docker] | down [--name N | --all] | status')
  process.exit(2)
}

const rel = (p) => path.relative(process.cwd(), p) || '.'
const seconds = (t0) => ((Date.now() - t0) / 1000).toFixed(1) + ' s'

try {
  const t0 = Date.now()
  const name = opts.name ?? 'default'
  switch (cmd) {
    case 'build': {
      const suite = opts.suite ?? 'trixie'
      const built = await buildImage({ force: !!opts.force, suite, log: (m) => console.log(`lab: ${m}`) })
      console.log(built ? `built ${imageOf(suite)} in ${seconds(t0)}` : `${imageOf(suite)} is up to date`)
      break
    }
    case 'up': {
      const count = Number(opts.count ?? 3)
      if (!Number.isInteger(count) || count < 1) usage(`--count must be a positive integer, not ${opts.count}`)
      const lab = await startLab({ name, count, docker: !!opts.docker })
      console.log(`lab ${name}: ${count} host(s) up in ${seconds(t0)}`)
      for (const h of lab.hosts) console.log(`  ${h.name}  127.0.0.1:${h.port}  ${h.container}`)
      const h = lab.hosts[0]
      console.log(`inventory:   ${lab.inventoryPath}`)
      console.log(`known_hosts: ${lab.knownHostsPath}`)
      console.log(`key:         ${lab.keyPath}`)
      console.log('try:')
      console.log(`  ssh -i ${rel(lab.keyPath)} -o UserKnownHostsFile=${rel(lab.knownHostsPath)} -p ${h.port} muster@127.0.0.1`)
      console.log(`  ansible -i ${rel(lab.inventoryPath)} lab --ssh-common-args='-o UserKnownHostsFile=${rel(lab.knownHostsPath)}' -m raw -a hostname`)
      console.log(`  npm run lab -- down --name ${name}`)
      break
    }
    case 'down': {
      const names = opts.all ? (await listLabs()).map((l) => l.name) : [name]
      for (const n of names) await stopLab(n)
      console.log(`removed lab(s): ${names.join(', ') || 'none'} in ${seconds(t0)}`)
      break
    }
    case 'status': {
      const labs = await listLabs()
      if (!labs.length) console.log('no labs')
      for (const l of labs) {
        console.log(`lab ${l.name}:`)
        for (const h of l.hosts) console.log(`  ${h.name}  ${h.status}  ${h.ports}`)
      }
      break
    }
    default:
      usage(cmd ? `unknown command: ${cmd}` : undefined)
  }
} catch (e) {
  console.error(`lab: ${e.message}`)
  process.exit(1)
}
