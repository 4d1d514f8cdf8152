/**
 * Validation of generated manifests against the Kubernetes OpenAPI schema as kubernetes-models 4.5.1 ships
 * it (compiled validators per kind). No release of it is generated from v1.31 (4.4 is <= 1.29, 4.5 >= 1.33),
 * so fields added after 1.31 that 4.5.1 would accept are refused here by name.
 */
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Node } from 'kubernetes-models/v1/Node';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { K8sObject } from '../../../../controller/engines/k8s/manifests.js';

type Model = new (data: never) => { validate(): void };
const MODELS: Record<string, Model> = { Namespace, Secret, ConfigMap, PersistentVolumeClaim, Deployment, DaemonSet, Service, Node } as Record<string, Model>;

/** Field names (at any depth) that v1.31 does not have but the 4.5.1 schema accepts: pod-level resources, stopSignal... */
const AFTER_131: Record<string, string[]> = {
  PodSpec: ['resources'],
  Lifecycle: ['stopSignal'],
};

/** Problems with one object: empty when it validates. */
export function schemaProblems(o: K8sObject): string[] {
  const model = MODELS[o.kind];
  if (!model) return [`no schema for kind ${o.kind}`];
  const out: string[] = [];
  try {
    new model(o as never).validate();
  } catch (e) {
    out.push(`${o.kind}/${o.metadata.name}: ${(e as Error).message}`);
  }
  const pod = podSpec(o);
  if (pod) for (const f of AFTER_131.PodSpec) if (f in pod) out.push(`${o.kind}/${o.metadata.name}: pod spec field ${f} is newer than v1.31`);
  const containers = (pod?.containers as Record<string, unknown>[] | undefined) ?? [];
  for (const c of containers) {
    const lc = c.lifecycle as Record<string, unknown> | undefined;
    if (lc) for (const f of AFTER_131.Lifecycle) if (f in lc) out.push(`${o.kind}/${o.metadata.name}: lifecycle field ${f} is newer than v1.31`);
  }
  // kubernetes-models does not refuse unknown fields; v1.31's API server does (strict field validation)
  out.push(...unknownTop(o));
  return out;
}

function podSpec(o: K8sObject): Record<string, unknown> | undefined {
  const spec = o.spec as { template?: { spec?: Record<string, unknown> } } | undefined;
  return spec?.template?.spec;
}

const TOP: Record<string, string[]> = {
  Namespace: ['spec'],
  Secret: ['type', 'data', 'stringData', 'immutable'],
  ConfigMap: ['data', 'binaryData', 'immutable'],
  PersistentVolumeClaim: ['spec'],
  Deployment: ['spec'],
  DaemonSet: ['spec'],
  Service: ['spec'],
  Node: ['spec'],
};

function unknownTop(o: K8sObject): string[] {
  const allowed = new Set(['apiVersion', 'kind', 'metadata', ...(TOP[o.kind] ?? [])]);
  return Object.keys(o)
    .filter((k) => !allowed.has(k))
    .map((k) => `${o.kind}/${o.metadata.name}: unknown field ${k}`);
}
