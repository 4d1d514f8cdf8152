/**
 * A whole stack as what `docker stack deploy` creates on Swarm: overlay networks `STACK_key`, secrets and
 * configs `STACK_key` (labelled with their content's digest), and one `ServiceSpec` per service. Pure.
 */
import type { Stack } from '../../stack/types.js';
import type { FileSpec, NetworkSpec, ServiceSpec } from './api-types.js';
import { DIGEST_LABEL, scoped, withStack } from './names.js';
import { serviceSpec } from './service-spec.js';

/** Everything a stack makes on Swarm, in creation order (networks, secrets, configs, then services). */
export interface SwarmStack {
  name: string;
  networks: NetworkSpec[];
  secrets: FileSpec[];
  configs: FileSpec[];
  services: ServiceSpec[];
}

/** The Swarm objects of `stack`, as `docker stack deploy` names and shapes them. */
export function swarmStack(stack: Stack): SwarmStack {
  const used = new Set(stack.services.flatMap((s) => (s.networkMode ? [] : s.networks.map((n) => n.key))));
  const names = Object.fromEntries(Object.entries(stack.networks).map(([key, n]) => [key, n.name]));
  const networks = Object.entries(stack.networks)
    .filter(([key, n]) => used.has(key) && !n.external)
    .map(([, n]) => ({ Name: n.name, Driver: 'overlay' as const, Labels: withStack(stack.name, n.labels), Attachable: false }))
    .sort((a, b) => (a.Name < b.Name ? -1 : 1));
  const files = (defs: Stack['secrets']): FileSpec[] =>
    Object.values(defs)
      .map((f) => ({ Name: scoped(stack.name, f.key), Labels: { ...withStack(stack.name), [DIGEST_LABEL]: f.digest }, Data: f.content.toString('base64') }))
      .sort((a, b) => (a.Name < b.Name ? -1 : 1));
  return {
    name: stack.name,
    networks,
    secrets: files(stack.secrets),
    configs: files(stack.configs),
    services: stack.services.map((s) => serviceSpec(stack.name, s, names)),
  };
}
