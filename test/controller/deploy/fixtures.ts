/** Small builders for the deploy's table tests: specs, current replicas, assignments, services. */
import type { Service, Stack, UpdateConfig } from '../../../controller/stack/types.js';
import type { Assignment, CurrentReplica } from '../../../controller/scheduler/types.js';
import type { ContainerReport, ContainerSpec, NodeReport } from '../../../shared/wire.js';
import { containerReport, sampleReport } from '../../agent/sample-report.js';

/** A replica spec `<stack>_<service>.<slot>.<hash8>`. */
export function spec(service: string, slot: number, hash8 = 'aaaaaaaa', more: Partial<ContainerSpec> = {}, stack = 'demo'): ContainerSpec {
  return { name: `${stack}_${service}.${slot}.${hash8}`, stack, service, replica: slot, image: 'muster-busybox:1', ...more };
}

/** A current replica. */
export function held(service: string, slot: number, node: string, hash8 = 'aaaaaaaa', stack = 'demo'): CurrentReplica {
  return { stack, service, slot, node, specHash: hash8, memoryReservationBytes: 0, cpuReservation: 0, hostPorts: [], volumes: [], state: 'running' };
}

/** An assignment. */
export function assign(action: Assignment['action'], service: string, slot: number, node: string, from?: CurrentReplica, stack = 'demo'): Assignment {
  return { stack, service, slot, node, action, ...(from ? { from } : {}), reason: `because ${node}` };
}

/** Swarm's update_config defaults with overrides. */
export function update(more: Partial<UpdateConfig> = {}): UpdateConfig {
  return { parallelism: 1, delayS: 0, order: 'stop-first', failureAction: 'pause', monitorS: 5, maxFailureRatio: 0, ...more };
}

/** A service with defaults. */
export function service(name: string, more: { replicas?: number; update?: Partial<UpdateConfig>; mode?: 'replicated' | 'global' } = {}): Service {
  return {
    name,
    image: 'muster-busybox:1',
    env: {},
    ports: [],
    mounts: [],
    labels: {},
    devices: [],
    privileged: false,
    capAdd: [],
    capDrop: [],
    networks: [{ key: 'default', aliases: [] }],
    extraHosts: [],
    secrets: [],
    configs: [],
    deploy: {
      mode: more.mode ?? 'replicated',
      replicas: more.replicas ?? 1,
      limits: {},
      reservations: {},
      constraints: [],
      spread: [],
      update: update(more.update),
      rollback: update(more.update),
      restartPolicy: { condition: 'any', delayS: 5 },
      labels: {},
    },
  };
}

/** A stack of services. */
export function stack(services: Service[], name = 'demo'): Stack {
  return { name, file: 'stack.yml', services, networks: {}, volumes: {}, secrets: {}, configs: {}, warnings: [] };
}

/** A report with these containers. */
export function report(containers: Partial<ContainerReport>[], more: Partial<NodeReport> = {}): NodeReport {
  return { ...sampleReport(), containers: containers.map((c) => containerReport({ restarts: 0, ...c })), ...more };
}
