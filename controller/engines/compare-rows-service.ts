/** The engine table's rows for a service's container: ports, environment, health, security, network. */
import type { Row } from './compare.js';

const PORT = { ports: [{ target: 80, published: 8080 }] };

/** Rows of a service's own keys. */
export const SERVICE_ROWS: Row[] = [
  {
    feature: '`ports: ["8080:80"]`',
    service: { ports: ['8080:80'] },
    why: {
      native: { native: 'host mode, on each node that runs a replica' },
      swarm: { native: 'ingress: the routing mesh answers on every node' },
      k8s: { warned: 'a LoadBalancer Service: servicelb answers on every node' },
    },
  },
  {
    feature: 'port `mode: ingress`',
    service: { ports: [{ target: 80, published: 8080, mode: 'ingress' }] },
    base: PORT,
    why: {
      native: { warned: "no routing mesh: host mode on the replicas' nodes" },
      swarm: { dropped: 'ingress is what Swarm does without it' },
      k8s: { warned: 'a LoadBalancer Service: servicelb answers on every node' },
    },
  },
  {
    feature: 'port `mode: host`',
    service: { ports: [{ target: 80, published: 8080, mode: 'host' }] },
    base: PORT,
    why: {
      native: { dropped: 'host mode is the only mode muster has' },
      swarm: { native: '`PublishMode: host`, on the nodes that run a task' },
      k8s: { warned: 'a LoadBalancer Service on every node' },
    },
  },
  {
    feature: 'port `host_ip: 127.0.0.1`',
    service: { ports: ['127.0.0.1:8080:80'] },
    base: { ports: ['8080:80'] },
    why: {
      native: { native: 'bound to that address of the node' },
      swarm: { warned: 'ignored (Swarm publishes on every address of the node)' },
      k8s: { warned: 'ignored (servicelb listens on every node address)' },
    },
  },
  {
    feature: '`environment`',
    service: { environment: { LEVEL: 'debug' } },
    why: {
      native: { native: "the container's environment" },
      swarm: { native: '`ContainerSpec.Env`, sorted' },
      k8s: { native: "the container's `env`" },
    },
  },
  {
    feature: '`command`, `entrypoint`, `working_dir`',
    service: { entrypoint: ['sh', '-c'], command: ['sleep 1d'], working_dir: '/srv' },
    why: {
      native: { native: 'as Docker takes them' },
      swarm: { native: '`Args`, `Command`, `Dir`' },
      k8s: { native: '`args`, `command`, `workingDir`' },
    },
  },
  {
    feature: '`user: "1000:1000"`',
    service: { user: '1000:1000' },
    why: {
      native: { native: "Docker's `User`" },
      swarm: { native: '`ContainerSpec.User`' },
      k8s: { native: '`runAsUser`, `runAsGroup`' },
    },
  },
  {
    feature: '`user: nobody`',
    service: { user: 'nobody' },
    why: {
      native: { native: "Docker's `User`" },
      swarm: { native: '`ContainerSpec.User`' },
      k8s: { refused: 'Kubernetes takes numeric ids only' },
    },
  },
  {
    feature: '`healthcheck`',
    service: { healthcheck: { test: ['CMD', 'true'], interval: '10s', timeout: '2s', retries: 3, start_period: '5s' } },
    why: {
      native: { native: "Docker's healthcheck; an unhealthy new replica fails its update" },
      swarm: { native: '`ContainerSpec.Healthcheck`' },
      k8s: { native: 'liveness and readiness probes; `start_period` a startup probe' },
    },
  },
  {
    feature: '`restart: unless-stopped`',
    service: { restart: 'unless-stopped' },
    why: {
      native: { native: "Docker's restart policy as written" },
      swarm: { warned: 'condition `any`: a task stopped by hand is replaced too' },
      k8s: { dropped: 'pods always restart, as without it' },
    },
  },
  {
    feature: '`devices`',
    service: { devices: ['/dev/ttyUSB0:/dev/ttyUSB0'] },
    why: {
      native: { native: 'passed to Docker' },
      swarm: { refused: 'Swarm services have no devices (`docker stack deploy` drops them)' },
      k8s: { refused: 'no devices key: add `privileged: true`, or use a device plugin' },
    },
  },
  {
    feature: '`devices` with `privileged: true`',
    service: { privileged: true, devices: ['/dev/ttyUSB0:/dev/ttyUSB0'] },
    base: { privileged: true },
    why: {
      native: { native: 'passed to Docker, privileged' },
      swarm: { refused: 'Swarm services have neither devices nor privileged mode' },
      k8s: { native: 'a `CharDevice` hostPath in a privileged container' },
    },
  },
  {
    feature: '`privileged: true`',
    service: { privileged: true },
    why: {
      native: { native: 'a privileged container' },
      swarm: { refused: 'Swarm services have no privileged mode (`docker stack deploy` drops it)' },
      k8s: { native: '`securityContext.privileged`' },
    },
  },
  {
    feature: '`cap_add`, `cap_drop`',
    service: { cap_add: ['NET_ADMIN'], cap_drop: ['MKNOD'] },
    why: {
      native: { native: "Docker's `CapAdd`, `CapDrop`" },
      swarm: { native: '`CapabilityAdd`, `CapabilityDrop` (`CAP_` names)' },
      k8s: { native: '`securityContext.capabilities`' },
    },
  },
  {
    feature: '`network_mode: host`',
    service: { network_mode: 'host' },
    why: {
      native: { native: "the host's network" },
      swarm: { native: 'the `host` network' },
      k8s: { native: '`hostNetwork: true`' },
    },
  },
  {
    feature: '`network_mode: none`',
    service: { network_mode: 'none' },
    why: {
      native: { native: 'no network' },
      swarm: { native: 'the `none` network' },
      k8s: { refused: 'every pod has a network' },
    },
  },
  {
    feature: '`network_mode: bridge`',
    service: { network_mode: 'bridge' },
    why: {
      native: { native: "Docker's default bridge" },
      swarm: { refused: 'services join overlay networks only' },
      k8s: { warned: 'ignored (a pod has its own network)' },
    },
  },
  {
    feature: '`networks` with `aliases`',
    service: { networks: { back: { aliases: ['api'] } } },
    top: { networks: { back: {} } },
    why: {
      native: { native: 'a bridge network per stack network on each node, with the aliases' },
      swarm: { native: 'overlay networks, with the aliases' },
      k8s: { warned: 'ignored (one namespace, every Service by name)' },
    },
  },
  {
    feature: '`extra_hosts`',
    service: { extra_hosts: ['db:10.0.0.5'] },
    why: {
      native: { native: "Docker's `ExtraHosts`" },
      swarm: { native: '`ContainerSpec.Hosts`' },
      k8s: { native: '`hostAliases`' },
    },
  },
  {
    feature: '`expose: ["80"]`',
    service: { expose: ['80'] },
    why: {
      native: { dropped: 'services reach every port of each other on the stack network' },
      swarm: { dropped: 'services reach every port of each other on the overlay network' },
      k8s: { native: 'a port of the ClusterIP Service: other services reach it by name' },
    },
  },
  {
    feature: '`stop_grace_period`',
    service: { stop_grace_period: '30s' },
    why: {
      native: { native: "the container's `StopTimeout` (whole seconds): a change replaces the replicas" },
      swarm: { native: '`ContainerSpec.StopGracePeriod`' },
      k8s: { native: '`terminationGracePeriodSeconds`' },
    },
  },
  {
    feature: '`depends_on`',
    service: { depends_on: ['db'] },
    top: { services: { db: { image: 'muster-busybox:1' } } },
    why: {
      native: { warned: 'ignored (services start in no particular order)' },
      swarm: { warned: 'ignored (services start in no particular order)' },
      k8s: { warned: 'ignored (services start in no particular order)' },
    },
  },
  {
    feature: '`labels`',
    service: { labels: { 'com.example.team': 'web' } },
    why: {
      native: { native: 'container labels' },
      swarm: { native: '`ContainerSpec.Labels`' },
      k8s: { native: 'pod labels (an annotation when the value is no label value)' },
    },
  },
  {
    feature: '`logging`',
    service: { logging: { driver: 'json-file', options: { 'max-size': '10m' } } },
    why: {
      native: { native: "Docker's log driver" },
      swarm: { native: '`TaskTemplate.LogDriver`' },
      k8s: { warned: 'ignored (the kubelet keeps the logs)' },
    },
  },
  {
    feature: '`build`',
    service: { build: '.' },
    why: {
      native: { warned: 'ignored (muster does not build images)' },
      swarm: { warned: 'ignored (muster does not build images)' },
      k8s: { warned: 'ignored (muster does not build images)' },
    },
  },
];
