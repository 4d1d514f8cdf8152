/**
 * `openssh_keypair`: an SSH key pair at `path` and `path.pub`, made by ssh-keygen on the host. An existing key
 * is kept unless its type or size is wrong (or it cannot be read), as `regenerate` says; a missing or stale
 * public key and a different comment are fixed in place. Returns the key's fingerprint and public key.
 */
import { Secret, sh, type Script } from '../../command.js';
import { sameId } from '../files/attrs.js';
import { apply } from '../planned.js';
import { cmd, missingTools, plainText, section, sectionsOf, withSbin, words } from '../system/probe.js';
import type { Args, ArgSpecs, Module, ModuleContext, ModuleResult, Plan, Vars } from '../types.js';

const IGNORED_FILE_ATTR = 'SELinux contexts and file attributes are not managed by this module';

const args: ArgSpecs = {
  path: { type: 'path', required: true },
  type: { type: 'str', choices: ['rsa', 'dsa', 'rsa1', 'ecdsa', 'ed25519'], default: 'rsa' },
  size: { type: 'int' },
  comment: { type: 'str' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  force: { type: 'bool', default: false },
  passphrase: { type: 'str', secret: true },
  regenerate: { type: 'str', choices: ['never', 'fail', 'partial_idempotence', 'full_idempotence', 'always'], default: 'partial_idempotence' },
  private_key_format: { type: 'str', choices: ['auto', 'pkcs1', 'pkcs8', 'ssh'], default: 'auto' },
  backend: { type: 'str', choices: ['auto', 'cryptography', 'opensshbin'], default: 'auto', ignored: 'ssh-keygen on the host is the only backend here' },
  mode: { type: 'mode' },
  owner: { type: 'str' },
  group: { type: 'str' },
  attributes: { type: 'str', aliases: ['attr'], ignored: IGNORED_FILE_ATTR },
  selevel: { type: 'str', ignored: IGNORED_FILE_ATTR },
  serole: { type: 'str', ignored: IGNORED_FILE_ATTR },
  setype: { type: 'str', ignored: IGNORED_FILE_ATTR },
  seuser: { type: 'str', ignored: IGNORED_FILE_ATTR },
  unsafe_writes: { type: 'bool', default: false, ignored: 'the key files are always written by ssh-keygen itself' },
};

/** The key as ssh-keygen reads it. */
export interface KeyInfo {
  type: string;
  size: number;
  fingerprint: string;
  /** `TYPE BASE64` */
  publicKey: string;
  comment: string;
}

/** What the probe found. */
export interface KeypairState {
  missing: string[];
  /** whether the private key file exists */
  exists: boolean;
  /** whether the public key file exists */
  pubExists: boolean;
  /** whether the key's directory exists */
  dir: boolean;
  /** the private key read with the passphrase (undefined: unreadable, wrong passphrase, or absent) */
  key?: KeyInfo;
  /** the public key file's `TYPE BASE64 COMMENT` */
  pub?: string;
  /** `MODE OWNER GROUP UID GID` of the private key */
  stat?: { mode: string; owner: string; group: string; uid: number; gid: number };
}

const DEFAULT_SIZE: Record<string, number> = { rsa: 4096, dsa: 1024, ecdsa: 256 };
const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));
/** The passphrase as a masked word; no passphrase is the empty word, shown as ''. */
const pass = (a: Args): Secret | string => {
  const v = plainText(a.passphrase);
  return v ? new Secret(v) : '';
};

function validate(a: Args): string | undefined {
  if (a.type === 'rsa1') return 'type rsa1 (SSH protocol 1) is not supported by current ssh-keygen: use rsa or ed25519';
  const size = a.size === undefined || a.size === null ? undefined : Number(a.size);
  if (size !== undefined) {
    if (a.type === 'ecdsa' && ![256, 384, 521].includes(size))
      return 'For ECDSA keys, size determines the key length by selecting from one of three elliptic curve sizes: 256, 384 or 521 bits.';
    if (a.type === 'rsa' && size < 1024) return 'For RSA keys, the minimum size is 1024 bits';
    if (a.type === 'dsa' && size !== 1024) return 'DSA keys must be exactly 1024 bits as specified by FIPS 186-2.';
  }
  return undefined;
}

/** The probe: the tool, the files, the key read with the passphrase, and the private key's owner and mode. */
export function probeKeypair(a: Args): Script {
  const path = String(a.path);
  const pub = `${path}.pub`;
  return withSbin(
    section('tools', missingTools(['ssh-keygen'])),
    section('exists', sh`test -e ${path} && echo key; test -e ${pub} && echo pub; test -d "$(dirname ${path})" && echo dir; :`),
    section('pub', sh`cat ${pub} 2>/dev/null; :`),
    section('stat', sh`stat -c '%a %U %G %u %g' ${path} 2>/dev/null; :`),
    section(
      'key',
      sh`if k=$(ssh-keygen -y -P ${pass(a)} -f ${path} </dev/null 2>/dev/null); then printf '%s\\n' "$k"; printf '%s\\n' "$k" | ssh-keygen -l -f -; fi`,
    ),
  );
}

const TYPES: Record<string, string> = { RSA: 'rsa', DSA: 'dsa', ECDSA: 'ecdsa', ED25519: 'ed25519' };

/** `ssh-keygen -y` then `-l` of its output, into the key's facts. */
export function parseKeyInfo(text: string): KeyInfo | undefined {
  const [pubLine, listLine] = text.split('\n');
  const l = /^(\d+) (\S+) (.*) \(([A-Z0-9-]+)\)$/.exec(listLine?.trim() ?? '');
  const p = pubLine?.trim().split(/\s+/) ?? [];
  if (!l || p.length < 2) return undefined;
  const comment = p.slice(2).join(' ');
  return { type: TYPES[l[4]] ?? l[4].toLowerCase(), size: Number(l[1]), fingerprint: l[2], publicKey: `${p[0]} ${p[1]}`, comment };
}

/** Pure: probe output -> state. */
export function parseKeypair(stdout: string): KeypairState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const present = words(s.get('exists'));
  const st = /^(\d+) (\S+) (\S+) (\d+) (\d+)/.exec(s.get('stat')?.text.trim() ?? '');
  const pub = s.get('pub')?.text.trim();
  return {
    missing: words(s.get('tools')),
    exists: present.includes('key'),
    pubExists: present.includes('pub'),
    dir: present.includes('dir'),
    key: parseKeyInfo(s.get('key')?.text ?? ''),
    pub: pub || undefined,
    stat: st ? { mode: st[1], owner: st[2], group: st[3], uid: Number(st[4]), gid: Number(st[5]) } : undefined,
  };
}

/** The data Ansible returns for a key. */
export function keyData(a: Args, key: KeyInfo | undefined): Vars {
  return {
    filename: String(a.path),
    type: key?.type ?? a.type,
    size: key?.size ?? (a.size === undefined || a.size === null ? (DEFAULT_SIZE[String(a.type)] ?? null) : Number(a.size)),
    fingerprint: key?.fingerprint ?? null,
    public_key: key?.publicKey ?? null,
    comment: key?.comment ?? (a.comment === undefined ? null : a.comment),
  };
}

const UNREADABLE =
  'Unable to read the key. The key is protected with another passphrase or broken. Will not proceed. To force regeneration, call the module with `regenerate` set to `full_idempotence` or `always`, or with `force=true`.';
const WRONG =
  'Key has wrong type and/or size. Will not proceed. To force regeneration, call the module with `regenerate` set to `partial_idempotence`, `full_idempotence` or `always`, or with `force=true`.';

/** Whether the existing key matches the wanted type and size (ed25519 has one size). */
function conforms(a: Args, k: KeyInfo): boolean {
  if (k.type !== a.type) return false;
  if (a.type === 'ed25519') return true;
  const size = a.size === undefined || a.size === null ? DEFAULT_SIZE[String(a.type)] : Number(a.size);
  return size === undefined || k.size === size;
}

function generate(a: Args): Script {
  const path = String(a.path);
  const size = a.type === 'ed25519' ? undefined : String(a.size ?? DEFAULT_SIZE[String(a.type)] ?? '');
  const format = { pkcs1: 'PEM', pkcs8: 'PKCS8' }[String(a.private_key_format)];
  const comment = str(a.comment);
  return withSbin(
    sh`rm -f ${path} ${`${path}.pub`}`,
    cmd(
      'ssh-keygen',
      '-q',
      '-t',
      String(a.type),
      size !== undefined && size !== '' && ['-b', size],
      comment !== undefined && ['-C', comment],
      format !== undefined && ['-m', format],
      '-N',
      pass(a),
      '-f',
      path,
    ),
  );
}

/** owner/group on both files, mode on the private key, when they differ. */
function attrScripts(a: Args, s: KeypairState | undefined): Script[] {
  const path = String(a.path);
  const owner = str(a.owner);
  const group = str(a.group);
  const mode = typeof a.mode === 'number' ? a.mode.toString(8) : str(a.mode);
  const st = s?.stat;
  const out: Script[] = [];
  const needOwner = owner !== undefined && !(st && sameId(owner, st.uid, st.owner));
  const needGroup = group !== undefined && !(st && sameId(group, st.gid, st.group));
  if (needOwner || needGroup) {
    const who = needOwner ? (needGroup ? `${owner}:${group}` : (owner as string)) : `:${group}`;
    out.push(sh`chown ${who} ${path} ${`${path}.pub`}`);
  }
  if (mode !== undefined && !(st && Number.parseInt(st.mode, 8) === Number.parseInt(mode, 8))) out.push(sh`chmod ${mode} ${path}`);
  return out;
}

/** Pure: what to do. */
export function planKeypair(a: Args, s: KeypairState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  const path = String(a.path);
  if (a.state === 'absent') {
    const data = { filename: path };
    if (!s.exists && !s.pubExists) return { kind: 'noop', reason: `${path} does not exist`, data };
    return { kind: 'change', steps: [{ exec: sh`rm -f ${path} ${`${path}.pub`}` }], msg: `removed ${path} and ${path}.pub`, data };
  }
  if (s.missing.length) return { kind: 'fail', msg: 'ssh-keygen not found on the host (Debian: the "openssh-client" package)' };
  if (!s.dir) return { kind: 'fail', msg: `The directory of ${path} does not exist: create it first (file module, state: directory)` };
  const regen = String(a.regenerate);
  let fresh = !s.exists || a.force === true || regen === 'always';
  if (!fresh && regen !== 'never') {
    if (!s.key) {
      if (regen !== 'full_idempotence') return { kind: 'fail', msg: UNREADABLE, data: keyData(a, undefined) };
      fresh = true;
    } else if (!conforms(a, s.key)) {
      if (regen === 'fail') return { kind: 'fail', msg: WRONG, data: keyData(a, s.key) };
      fresh = true;
    }
  }
  if (fresh) {
    const why = !s.exists ? 'generated' : 'regenerated';
    return { kind: 'change', steps: [generate(a), ...attrScripts(a, undefined)].map((exec) => ({ exec })), msg: `${why} ${path}`, data: keyData(a, undefined) };
  }
  const steps: Script[] = [];
  const fixes: string[] = [];
  const key = s.key;
  if (key) {
    const comment = str(a.comment);
    if (comment !== undefined && comment !== key.comment) {
      steps.push(withSbin(cmd('ssh-keygen', '-q', '-c', '-C', comment, '-P', pass(a), '-f', path)));
      fixes.push(`comment "${key.comment}" -> "${comment}"`);
    } else {
      // ssh-keygen -c rewrites the .pub file itself; otherwise it must say what the private key says.
      const wantPub = [key.publicKey, key.comment].filter(Boolean).join(' ');
      if (s.pub !== wantPub) {
        steps.push(withSbin(sh`${cmd('ssh-keygen', '-y', '-P', pass(a), '-f', path)} > ${`${path}.pub`}`));
        fixes.push(s.pubExists ? `rewrote ${path}.pub from the private key` : `wrote the missing ${path}.pub`);
      }
    }
  }
  const attrs = attrScripts(a, s);
  if (attrs.length) fixes.push('owner, group or mode');
  steps.push(...attrs);
  const data = keyData(a, key && { ...key, comment: str(a.comment) ?? key.comment });
  if (steps.length === 0) {
    const reason = key ? `${path} is a ${key.type} key of ${key.size} bits` : `${path} exists and regenerate is never`;
    return { kind: 'noop', reason, data };
  }
  return { kind: 'change', steps: steps.map((exec) => ({ exec })), msg: `fixed ${fixes.join(', ')}`, data };
}

/** Probe, plan, apply; after a change the key is read again so that the result names the new key. */
async function run(a: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const state = parseKeypair((await ctx.exec(probeKeypair(a))).stdout);
  const result = await apply(planKeypair(a, state), ctx);
  if (!result.changed || result.failed || ctx.check || a.state === 'absent') return result;
  const after = parseKeypair((await ctx.exec(probeKeypair(a))).stdout);
  return { ...result, data: { ...result.data, ...keyData(a, after.key) } };
}

/** The `openssh_keypair` module. */
export const opensshKeypair: Module = { name: 'openssh_keypair', args, checkMode: true, validate, run };
