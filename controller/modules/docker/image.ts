/**
 * `docker_image`: an image present (built from a context on the host, loaded from an archive, pulled, or
 * already local) or absent; optionally saved to `archive_path` (again only when the archive holds another
 * image) and tagged as `repository`. An image already there is left alone unless `force_source`.
 */
import { sh, type Script } from '../../command.js';
import { cmd, section } from '../system/probe.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step } from '../types.js';
import { dockerSection, hasDocker, inspected, inspecting, inspectSection, NO_DOCKER, pairs, parseJson, sectionsOf, strMap, withSbin } from './cli.js';

const args: ArgSpecs = {
  name: { type: 'str', required: true },
  tag: { type: 'str', default: 'latest' },
  source: { type: 'str', choices: ['build', 'load', 'pull', 'local'] },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  force_source: { type: 'bool', default: false },
  force_absent: { type: 'bool', default: false },
  force_tag: { type: 'bool', default: false },
  build: { type: 'dict' },
  load_path: { type: 'path' },
  archive_path: { type: 'path' },
  repository: { type: 'str' },
  push: { type: 'bool', default: false },
  pull: { type: 'dict', ignored: 'pull options (platform) are left to docker pull' },
  docker_host: { type: 'str', aliases: ['docker_url'], ignored: 'the docker CLI on the host talks to its own daemon' },
  debug: { type: 'bool', ignored: 'the commands run are shown with -vv' },
};

function validate(a: Args): string | undefined {
  if (a.state === 'present' && a.source === undefined) return 'source is required when state is present (build, load, pull or local)';
  if (a.source === 'build' && typeof (a.build as Record<string, unknown> | undefined)?.path !== 'string')
    return 'source=build needs build.path (the context directory on the host)';
  if (a.source === 'load' && a.load_path === undefined) return 'source=load needs load_path (an archive made by docker save, on the host)';
  return undefined;
}

/** `name:tag` as Ansible reads it: a tag (or digest) inside `name` wins over `tag`. */
export function imageRef(a: Args): string {
  const name = String(a.name);
  if (name.includes('@')) return name;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.includes(':') ? name : `${name}:${String(a.tag ?? 'latest')}`;
}

/** The repository reference to tag the image as (its tag defaults to the image's). */
function repoRef(a: Args): string | undefined {
  if (a.repository === undefined) return undefined;
  const r = String(a.repository);
  const last = r.slice(r.lastIndexOf('/') + 1);
  return last.includes(':') ? r : `${r}:${imageRef(a).split(':').pop()}`;
}

/** What the probe found. */
export interface ImageState {
  docker: boolean;
  image?: Record<string, unknown>;
  /** the image `repository` names now (when given) */
  repository?: Record<string, unknown>;
  /** what the archive at archive_path holds: undefined when there is none (or it is not an image archive) */
  archive?: { id: string; tags: string[] };
}

/** The probe: the docker CLI, the image, the repository tag and the archive's manifest. */
export function probeImage(a: Args): Script {
  const repo = repoRef(a);
  const parts = [dockerSection(), inspectSection('image', 'image', imageRef(a))];
  if (repo) parts.push(inspectSection('repository', 'image', repo));
  if (a.archive_path !== undefined) parts.push(section('archive', sh`tar -xOf ${String(a.archive_path)} manifest.json 2>/dev/null`));
  return withSbin(...parts);
}

/** The image ID and tags an archive's manifest.json names (both layouts: `<id>.json` and `blobs/sha256/<id>`). */
export function archiveManifest(text: string): ImageState['archive'] {
  const m = parseJson(text);
  if (!Array.isArray(m) || !m[0] || typeof m[0].Config !== 'string') return undefined;
  const hex = /([0-9a-f]{64})(?:\.json)?$/.exec(m[0].Config)?.[1];
  if (!hex) return undefined;
  return { id: `sha256:${hex}`, tags: Array.isArray(m[0].RepoTags) ? m[0].RepoTags.map(String) : [] };
}

/** Pure: probe output -> state. */
export function parseImage(stdout: string): ImageState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const archive = s.get('archive');
  return {
    docker: hasDocker(s),
    image: inspected(s.get('image')),
    repository: inspected(s.get('repository')),
    archive: archive && archive.rc === 0 ? archiveManifest(archive.text) : undefined,
  };
}

/** The command that gets the image from its source. */
export function fetchImage(a: Args, ref: string): Script {
  const b = (a.build ?? {}) as Record<string, unknown>;
  switch (a.source) {
    case 'build':
      return withSbin(
        cmd(
          'docker',
          'build',
          '--tag',
          ref,
          b.dockerfile !== undefined && ['--file', dockerfile(b)],
          pairs(strMap(b.args)).flatMap((x) => ['--build-arg', x]),
          pairs(strMap(b.labels)).flatMap((x) => ['--label', x]),
          b.nocache === true && '--no-cache',
          b.pull === true && '--pull',
          b.target !== undefined && ['--target', String(b.target)],
          b.network !== undefined && ['--network', String(b.network)],
          b.platform !== undefined && ['--platform', String(b.platform)],
          String(b.path),
        ),
      );
    case 'load': {
      const path = String(a.load_path);
      const missing = `archive ${path} did not contain image ${ref}; it loaded: `;
      return withSbin(
        sh`out=$(docker load --input ${path}) || exit 1\nprintf '%s\\n' "$out"\ndocker image inspect ${ref} >/dev/null 2>&1 || { printf '%s%s\\n' ${missing} "$out" >&2; exit 1; }`,
      );
    }
    case 'pull': {
      const why = `could not pull ${ref}: no registry answered (this host may have no network); use source=load or source=build instead`;
      return withSbin(sh`docker pull ${ref} || { echo ${why} >&2; exit 1; }`);
    }
    default:
      return withSbin(sh`docker image inspect ${ref} >/dev/null`);
  }
}

/** The Dockerfile path as docker build takes it: relative names are relative to the context directory. */
function dockerfile(b: Record<string, unknown>): string {
  const f = String(b.dockerfile);
  return f.startsWith('/') ? f : `${String(b.path).replace(/\/+$/, '')}/${f}`;
}

/** Pure: what to do. */
export function planImage(a: Args, s: ImageState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  if (!s.docker) return { kind: 'fail', msg: NO_DOCKER };
  const ref = imageRef(a);
  if (a.state === 'absent') {
    if (!s.image) return { kind: 'noop', reason: `image ${ref} is not on the host`, data: { image: {} } };
    const rm = withSbin(cmd('docker', 'image', 'rm', a.force_absent === true && '--force', ref));
    return {
      kind: 'change',
      steps: [{ exec: rm }],
      diff: [{ before: `${ref} ${String(s.image.Id)}\n`, after: '' }],
      msg: `image ${ref} removed`,
      data: { image: {} },
    };
  }
  if (a.source === 'local' && !s.image) return { kind: 'fail', msg: `image ${ref} is not on the host (source=local looks nowhere else)` };
  const steps: Step[] = [];
  const actions: string[] = [];
  const fetch = !s.image || (a.force_source === true && a.source !== 'local');
  if (fetch) {
    steps.push({ exec: fetchImage(a, ref) });
    actions.push(`${{ build: 'built', load: 'loaded', pull: 'pulled', local: 'found' }[String(a.source)]} ${ref}`);
  }
  const archive = a.archive_path === undefined ? undefined : String(a.archive_path);
  const archived = s.archive !== undefined && s.image !== undefined && s.archive.id === s.image.Id && s.archive.tags.includes(ref);
  if (archive && (fetch || !archived)) {
    steps.push({ exec: withSbin(cmd('docker', 'image', 'save', '--output', archive, ref)) });
    actions.push(`saved to ${archive}`);
  }
  const repo = repoRef(a);
  if (repo && (fetch || !s.repository || s.repository.Id !== s.image?.Id || a.force_tag === true)) {
    steps.push({ exec: withSbin(cmd('docker', 'image', 'tag', ref, repo)) });
    actions.push(`tagged ${repo}`);
  }
  if (repo && a.push === true && actions.length) {
    const why = `could not push ${repo}: no registry answered (this host may have no network)`;
    steps.push({ exec: withSbin(sh`docker push ${repo} || { echo ${why} >&2; exit 1; }`) });
    actions.push(`pushed ${repo}`);
  }
  if (!steps.length) return { kind: 'noop', reason: `image ${ref} is present${archive ? ` and archived in ${archive}` : ''}`, data: { image: s.image } };
  const before = s.image ? `${ref} ${String(s.image.Id)}\n` : '';
  return {
    kind: 'change',
    steps,
    diff: [{ before, after: `${ref} (${actions.join(', ')})\n` }],
    msg: `image ${actions.join(', ')}`,
    data: { image: s.image ?? {} },
  };
}

const imagePlanned: PlannedModule<ImageState> = {
  name: 'docker_image',
  args,
  checkMode: true,
  validate,
  probe: probeImage,
  parse: (out) => parseImage(out.stdout),
  plan: planImage,
};

/** The `docker_image` module. */
export const dockerImage = inspecting(imagePlanned, 'image', (a) =>
  a.state === 'absent' ? undefined : withSbin(cmd('docker', 'image', 'inspect', imageRef(a))),
);
