/** The engine table's rows for `deploy:`: replicas, mode, resources, placement, update, rollback and restart. */
import type { Row } from './compare.js';

const PORT = { ports: [{ target: 80, published: 8080 }] };

/** Rows of the `deploy:` section. */
export const DEPLOY_ROWS: Row[] = [
  {
    feature: '`deploy.replicas: 3`',
    service: { deploy: { replicas: 3 } },
    why: {
      native: { native: 'the scheduler places 3 replicas, fewest of the service per node first' },
      swarm: { native: '`Mode.Replicated.Replicas`' },
      k8s: { native: 'a Deployment with `replicas: 3`' },
    },
  },
  {
    feature: '`deploy.mode: global`',
    service: { deploy: { mode: 'global' } },
    why: {
      native: { native: 'one replica on every node that passes the filters' },
      swarm: { native: '`Mode.Global`' },
      k8s: { native: 'a DaemonSet' },
    },
  },
  {
    feature: '`resources.limits.memory`',
    service: { deploy: { replicas: 2, resources: { limits: { memory: '256M' } } } },
    base: { deploy: { replicas: 2 } },
    why: {
      native: { added: 'placed only on nodes whose kernel enforces the limit, and the limit counts as its reservation' },
      swarm: { added: 'the constraint `node.labels.muster.memory-enforced==true`, and a reservation equal to the limit (Swarm places by reservations only)' },
      k8s: { added: 'the node selector `muster.memory-enforced: "true"`; Kubernetes requests the limit when no request is written' },
    },
  },
  {
    feature: '`resources.limits.memory` with `reservations.memory`',
    service: { deploy: { replicas: 2, resources: { limits: { memory: '256M' }, reservations: { memory: '128M' } } } },
    base: { deploy: { replicas: 2, resources: { limits: { memory: '256M' } } } },
    why: {
      native: { added: 'placed by the reservation, only on nodes that enforce the limit' },
      swarm: { added: 'the memory-enforced constraint; the reservation as written' },
      k8s: { added: 'the memory-enforced node selector; `requests.memory` as written' },
    },
  },
  {
    feature: '`resources.reservations.memory` alone',
    service: { deploy: { resources: { reservations: { memory: '128M' } } } },
    why: {
      native: { native: "counted when placing; Docker's soft memory reservation" },
      swarm: { native: '`Reservations.MemoryBytes`' },
      k8s: { native: '`requests.memory`' },
    },
  },
  {
    feature: '`resources.limits.cpus`',
    service: { deploy: { resources: { limits: { cpus: '0.5' } } } },
    why: {
      native: { native: "Docker's `NanoCpus` (throttles; takes no room when placing)" },
      swarm: { native: '`Limits.NanoCPUs`' },
      k8s: { native: '`limits.cpu` (`500m`)' },
    },
  },
  {
    feature: '`resources.reservations.cpus`',
    service: { deploy: { resources: { reservations: { cpus: '0.5' } } } },
    why: {
      native: { native: 'counted when placing (Docker has no CPU reservation)' },
      swarm: { native: '`Reservations.NanoCPUs`' },
      k8s: { native: '`requests.cpu`' },
    },
  },
  {
    feature: '`resources.limits.pids`',
    service: { deploy: { resources: { limits: { pids: 100 } } } },
    why: {
      native: { native: "Docker's `PidsLimit`" },
      swarm: { native: '`Limits.Pids`' },
      k8s: { warned: "ignored (Kubernetes limits PIDs per node, the kubelet's `podPidsLimit`, not per pod)" },
    },
  },
  {
    feature: '`mem_limit: 256m`, `cpus: 0.5` (Compose file v2 keys)',
    service: { mem_limit: '256m', cpus: 0.5 },
    why: {
      native: { added: 'read as `deploy.resources.limits`: the memory limit as above' },
      swarm: { added: 'read as `deploy.resources.limits`: the memory-enforced constraint and reservation' },
      k8s: { added: 'read as `deploy.resources.limits`: the memory-enforced node selector' },
    },
  },
  {
    feature: 'constraint `node.labels.zone == a`',
    service: { deploy: { placement: { constraints: ['node.labels.zone == a'] } } },
    why: {
      native: { native: "a scheduler filter on the agent's labels and `muster_labels`" },
      swarm: { native: '`Placement.Constraints`' },
      k8s: { native: '`nodeSelector` on the node label `zone`' },
    },
  },
  {
    feature: 'constraint `node.hostname != n2`',
    service: { deploy: { placement: { constraints: ['node.hostname != n2'] } } },
    why: {
      native: { native: 'a scheduler filter on the hostname the agent reports' },
      swarm: { native: '`Placement.Constraints`' },
      k8s: { native: 'required node affinity, `NotIn` on `kubernetes.io/hostname`' },
    },
  },
  {
    feature: 'constraint `node.platform.arch == x86_64`',
    service: { deploy: { placement: { constraints: ['node.platform.arch == x86_64'] } } },
    why: {
      native: { native: 'a scheduler filter (x86_64 read as amd64)' },
      swarm: { native: '`Placement.Constraints`' },
      k8s: { native: '`nodeSelector` `kubernetes.io/arch: amd64`' },
    },
  },
  {
    feature: 'constraint `node.role == manager`',
    service: { deploy: { placement: { constraints: ['node.role == manager'] } } },
    why: {
      native: { native: "a scheduler filter on the inventory's role" },
      swarm: { native: '`Placement.Constraints`' },
      k8s: { native: 'required node affinity: `node-role.kubernetes.io/control-plane` exists (a k3s server)' },
    },
  },
  {
    feature: '`placement.preferences: [spread: node.labels.zone]`',
    service: { deploy: { replicas: 3, placement: { preferences: [{ spread: 'node.labels.zone' }] } } },
    base: { deploy: { replicas: 3 } },
    why: {
      native: { native: 'ranking: fewest replicas per zone first' },
      swarm: { native: '`Placement.Preferences[].Spread`' },
      k8s: { warned: 'soft topology spread (maxSkew 1); nodes without the label are left out, where Swarm groups them' },
    },
  },
  {
    feature: '`placement.max_replicas_per_node: 1`',
    service: { deploy: { replicas: 2, placement: { max_replicas_per_node: 1 } } },
    base: { deploy: { replicas: 2 } },
    why: {
      native: { native: 'a scheduler filter' },
      swarm: { native: '`Placement.MaxReplicas`' },
      k8s: { native: 'required pod anti-affinity on the hostname' },
    },
  },
  {
    feature: '`placement.max_replicas_per_node: 2`',
    service: { deploy: { replicas: 4, placement: { max_replicas_per_node: 2 } } },
    base: { deploy: { replicas: 4 } },
    why: {
      native: { native: 'a scheduler filter' },
      swarm: { native: '`Placement.MaxReplicas`' },
      k8s: { refused: 'Kubernetes caps replicas per node only at 1 (pod anti-affinity)' },
    },
  },
  {
    feature: '`update_config.order: start-first`',
    service: { deploy: { update_config: { order: 'start-first' } } },
    why: {
      native: { native: 'the new replica starts and is watched before the old one stops' },
      swarm: { native: '`UpdateConfig.Order`' },
      k8s: { native: 'RollingUpdate `maxSurge`, `maxUnavailable: 0`' },
    },
  },
  {
    feature: '`update_config.parallelism: 2`',
    service: { deploy: { replicas: 4, update_config: { parallelism: 2 } } },
    base: { deploy: { replicas: 4 } },
    why: {
      native: { native: 'replicas updated 2 at a time' },
      swarm: { native: '`UpdateConfig.Parallelism`' },
      k8s: { native: 'RollingUpdate `maxUnavailable: 2` (stop-first)' },
    },
  },
  {
    feature: '`update_config.delay: 10s`',
    service: { deploy: { update_config: { delay: '10s' } } },
    why: {
      native: { native: 'a pause between update groups' },
      swarm: { native: '`UpdateConfig.Delay`' },
      k8s: { warned: '`minReadySeconds`: a new pod must stay ready that long' },
    },
  },
  {
    feature: '`update_config.failure_action: rollback`',
    service: { deploy: { update_config: { failure_action: 'rollback' } } },
    why: {
      native: { native: 'a failed update is undone per `rollback_config`' },
      swarm: { native: '`UpdateConfig.FailureAction`' },
      k8s: { warned: 'a failed rollout stops and is not rolled back (`muster rollback`)' },
    },
  },
  {
    feature: '`update_config.monitor: 30s`',
    service: { deploy: { update_config: { monitor: '30s' } } },
    why: {
      native: { native: 'each new replica is watched 30 s before the next group' },
      swarm: { native: '`UpdateConfig.Monitor`' },
      k8s: { warned: 'ignored (Kubernetes does not watch a pod once it is ready)' },
    },
  },
  {
    feature: '`rollback_config: {parallelism: 0, order: start-first}`',
    service: { deploy: { rollback_config: { parallelism: 0, order: 'start-first' } } },
    why: {
      native: { native: '`muster rollback` and a failed update follow it' },
      swarm: { native: '`RollbackConfig`' },
      k8s: { warned: 'ignored (a rollback follows the update strategy)' },
    },
  },
  {
    feature: '`restart_policy.condition: on-failure`',
    service: { deploy: { restart_policy: { condition: 'on-failure' } } },
    why: {
      native: { native: "Docker's restart policy `on-failure`" },
      swarm: { native: '`RestartPolicy.Condition`' },
      k8s: { warned: 'pods always restart (`restartPolicy: Always`)' },
    },
  },
  {
    feature: '`restart_policy.max_attempts: 3`, `delay: 10s`',
    service: { deploy: { restart_policy: { condition: 'on-failure', max_attempts: 3, delay: '10s' } } },
    base: { deploy: { restart_policy: { condition: 'on-failure' } } },
    why: {
      native: { warned: 'ignored (Docker restarts with its own back-off, without a limit)' },
      swarm: { native: '`RestartPolicy.MaxAttempts`, `Delay`' },
      k8s: { warned: 'the kubelet restarts with a back-off, without a limit' },
    },
  },
  {
    feature: '`deploy.labels`',
    service: { deploy: { labels: { team: 'web' } } },
    why: {
      native: { warned: 'ignored (muster has no service object to label)' },
      swarm: { native: "the service's `Labels`" },
      k8s: { native: "the Deployment's labels" },
    },
  },
  {
    feature: '`deploy.endpoint_mode: dnsrr`',
    service: { deploy: { endpoint_mode: 'dnsrr' } },
    why: {
      native: { warned: 'ignored (no virtual IPs: the name resolves to the replicas, as dnsrr does)' },
      swarm: { native: '`EndpointSpec.Mode: dnsrr`' },
      k8s: { native: 'a headless ClusterIP Service (`clusterIP: None`)' },
    },
  },
  {
    feature: '`deploy.endpoint_mode: dnsrr` with ingress `ports`',
    service: { ...PORT, deploy: { endpoint_mode: 'dnsrr' } },
    base: PORT,
    why: {
      native: { warned: 'ignored (no virtual IPs; ports are published in host mode)' },
      swarm: { refused: 'Docker refuses dnsrr with routing-mesh ports (publish them `mode: host`)' },
      k8s: { warned: 'a headless ClusterIP Service; the published ports are a LoadBalancer Service' },
    },
  },
];
