// Runs one playbook run and measures it: wall time from spawn to exit, and the peak RSS.
// Spawned without a shell, so the process measured is the tool itself.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const GNU_TIME = '/usr/bin/time'

// Peak RSS from GNU time's %M (KiB): the kernel's ru_maxrss of the child, exact.
function viaTime (argv) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'muster-bench-rss-'))
  const file = path.join(dir, 'rss')
  return {
    argv: [GNU_TIME, '-f', '%M', '-o', file, ...argv],
    watch () {},
    read () {
      try {
        // On a killed child GNU time writes a "Command terminated" line before the figure.
        const n = Number(readFileSync(file, 'utf8').trim().split('\n').at(-1))
        return Number.isFinite(n) ? n : 0
      } catch {
        return 0 // GNU time itself never ran
      } finally { rmSync(dir, { recursive: true, force: true }) }
    },
  }
}

// Without GNU time: poll VmHWM (the kernel's own high-water mark) until the process exits.
// The last reading can miss growth in the final polling interval.
function viaProc (argv) {
  let peak = 0
  let timer
  return {
    argv,
    watch (pid) {
      timer = setInterval(() => {
        try {
          const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s*(\d+)/m)
          if (m) peak = Math.max(peak, Number(m[1]))
        } catch {} // gone between ticks
      }, 20)
    },
    read () { clearInterval(timer); return peak },
  }
}

/** How peak RSS is read on this machine, for the printed notes. */
export const rssMethod = existsSync(GNU_TIME) ? 'GNU time %M (ru_maxrss)' : '/proc/PID/status VmHWM polled every 20 ms'

/**
 * Runs argv to completion; resolves { ms, rssKb, exitCode, output } (stdout and stderr
 * interleaved as they came). Kills the process group after timeoutMs. Never rejects.
 */
export function measure (argv, { env, cwd, timeoutMs = 600_000 }) {
  const rss = existsSync(GNU_TIME) ? viaTime(argv) : viaProc(argv)
  return new Promise((resolve) => {
    const chunks = []
    const t0 = performance.now()
    // Own process group, so a timeout kills the tool and anything it started.
    const child = spawn(rss.argv[0], rss.argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    rss.watch(child.pid)
    child.stdout.on('data', (d) => chunks.push(d))
    child.stderr.on('data', (d) => chunks.push(d))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try { process.kill(-child.pid, 'SIGKILL') } catch {}
    }, timeoutMs)
    // A program that cannot start ends like it does under a shell (and under GNU time): 127.
    child.once('error', (e) => { clearTimeout(timer); rss.read(); resolve({ ms: 0, rssKb: 0, exitCode: 127, output: `${e.message}\n` }) })
    child.once('close', (code, signal) => {
      const ms = performance.now() - t0
      clearTimeout(timer)
      let output = Buffer.concat(chunks).toString('utf8')
      if (timedOut) output += `\n[bench: killed after ${timeoutMs / 1000} s]\n`
      // A signal death reads as the shell would show it: 128 + the signal's number.
      resolve({ ms, rssKb: rss.read(), exitCode: code ?? 128 + (os.constants.signals[signal] ?? 0), output })
    })
  })
}

/** Runs argv to its end; resolves with the exit code, the output (stdout and stderr) and the wall time in seconds. */
export function timedRun (argv, env = process.env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c) => { out += c })
    child.stderr.on('data', (c) => { out += c })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, out, seconds: (performance.now() - t0) / 1000 }))
  })
}
