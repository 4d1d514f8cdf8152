/** REST paths of the kinds muster applies (core v1 and apps/v1). */
import type { K8sObject } from './manifests.js';

const PLURAL: Record<string, { group: string; plural: string; namespaced: boolean }> = {
  Namespace: { group: '/api/v1', plural: 'namespaces', namespaced: false },
  Node: { group: '/api/v1', plural: 'nodes', namespaced: false },
  Secret: { group: '/api/v1', plural: 'secrets', namespaced: true },
  ConfigMap: { group: '/api/v1', plural: 'configmaps', namespaced: true },
  PersistentVolumeClaim: { group: '/api/v1', plural: 'persistentvolumeclaims', namespaced: true },
  Pod: { group: '/api/v1', plural: 'pods', namespaced: true },
  Service: { group: '/api/v1', plural: 'services', namespaced: true },
  Deployment: { group: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  DaemonSet: { group: '/apis/apps/v1', plural: 'daemonsets', namespaced: true },
};

/** The collection path of a kind (in a namespace when it is namespaced). */
export function collectionPath(kind: string, namespace?: string): string {
  const k = PLURAL[kind];
  if (!k) throw new Error(`no REST path known for kind ${kind}`);
  return k.namespaced ? `${k.group}/namespaces/${encodeURIComponent(namespace ?? 'default')}/${k.plural}` : `${k.group}/${k.plural}`;
}

/** The path of one object. */
export function objectPath(o: Pick<K8sObject, 'kind' | 'metadata'>): string {
  return `${collectionPath(o.kind, o.metadata.namespace)}/${encodeURIComponent(o.metadata.name)}`;
}

/** `Kind namespace/name`, for messages. */
export const describe = (o: Pick<K8sObject, 'kind' | 'metadata'>): string =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
