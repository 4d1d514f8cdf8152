/**
 * Kubernetes Services for a Compose service's ports. Inside the stack, a ClusterIP Service named after the
 * service answers on the container ports (published or only exposed), as the service's name does on a
 * Compose network; with `endpoint_mode: dnsrr` it is headless, as on Swarm. Published ports
 * are a LoadBalancer Service: k3s's servicelb (klipper-lb) then listens on the published port on the
 * nodes' own addresses, so `http://node:8080` works as the Compose file says. A NodePort Service would move
 * the port into 30000-32767, which is not what the file asks.
 */
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import type { Service } from '../../stack/types.js';
import { SERVICE_LABEL, selectorLabels } from './names.js';
import { about, type Notes } from './notes.js';

/** The name of the LoadBalancer Service of a service's published ports. */
export const publishedName = (name: string): string => `${name.slice(0, 53).replace(/-+$/, '')}-published`;

const proto = (p: 'tcp' | 'udp'): 'TCP' | 'UDP' => (p === 'udp' ? 'UDP' : 'TCP');

/**
 * The Services of one service: a ClusterIP Service on the container ports (`ports` targets and `expose`),
 * headless with `endpoint_mode: dnsrr`; a LoadBalancer Service on the published ports. None when the
 * service has no port and the default endpoint mode (no other service can name a port of it).
 */
export function servicesOf(stack: string, svc: Service, name: string, namespace: string, labels: Record<string, string>, notes: Notes): IService[] {
  const exposed = svc.expose ?? [];
  const dnsrr = svc.deploy.endpointMode === 'dnsrr';
  if (svc.ports.length === 0 && exposed.length === 0 && !dnsrr) return [];
  if (svc.networkMode === 'host') {
    notes.warnings.push(about(svc.name, "network_mode host: its ports are the node's own, no Service is made"));
    return [];
  }
  const selector = selectorLabels(stack, name);
  const metadata = (n: string) => ({ name: n, namespace, labels: { ...labels, [SERVICE_LABEL]: name } });
  const unique = <T extends { name?: string }>(ports: T[]) => [...new Map(ports.map((p) => [p.name, p])).values()];
  const inside: IServicePort[] = unique(
    [...svc.ports, ...exposed].map((p) => ({ name: `${p.protocol}-${p.target}`, port: p.target, targetPort: p.target, protocol: proto(p.protocol) })),
  );
  // headless: the name resolves to each ready pod's address, no virtual IP (Swarm's dnsrr); it needs no port
  const own: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(name),
    spec: { type: 'ClusterIP', ...(dnsrr ? { clusterIP: 'None' } : {}), selector, ...(inside.length > 0 ? { ports: inside } : {}) },
  };
  if (svc.ports.length === 0) return [own];
  const published: IServicePort[] = unique(
    svc.ports.map((p) => ({ name: `${p.protocol}-${p.published}`, port: p.published, targetPort: p.target, protocol: proto(p.protocol) })),
  );
  if (svc.ports.some((p) => p.hostIp !== undefined))
    notes.warnings.push(about(svc.name, "a published port's host_ip is ignored: servicelb listens on every node address"));
  notes.warnings.push(
    about(
      svc.name,
      `published ports ${published.map((p) => p.port).join(', ')} are a LoadBalancer Service: k3s's servicelb listens on them on every node, not only where a pod runs`,
    ),
  );
  return [own, { apiVersion: 'v1', kind: 'Service', metadata: metadata(publishedName(name)), spec: { type: 'LoadBalancer', selector, ports: published } }];
}
