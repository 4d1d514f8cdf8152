/**
 * A normalised stack as Kubernetes v1.31 objects, a pure function: one namespace per stack, then its
 * Secrets, ConfigMaps and PersistentVolumeClaims, then a Deployment or DaemonSet per service and its
 * Services. That is the order to apply in (what a pod mounts exists before the pod). Output is
 * deterministic: services sorted by name, keys in a fixed order.
 */
import type { Stack } from '../../stack/types.js';
import { dnsName, namespaceOf, stackLabels } from './names.js';
import { newNotes, type Notes } from './notes.js';
import { servicesOf } from './service.js';
import { claimsOf, filesOf } from './storage.js';
import { workloadOf } from './workload.js';

/** Any Kubernetes object muster makes. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface Translation extends Notes {
  namespace: string;
  /** in apply order */
  objects: K8sObject[];
}

export interface TranslateOptions {
  /** put secrets' contents in the Secrets (apply does; export only with --show-secrets) */
  showSecrets?: boolean;
}

/** The kinds muster applies, in apply order; prune walks them backwards. */
export const KINDS = ['Namespace', 'Secret', 'ConfigMap', 'PersistentVolumeClaim', 'Deployment', 'DaemonSet', 'Service'] as const;

/** Translates a stack; refusals say what cannot be expressed, and then objects should not be used. */
export function translate(stack: Stack, opts: TranslateOptions = {}): Translation {
  const notes = newNotes();
  const namespace = namespaceOf(stack.name);
  if (namespace === undefined) {
    notes.refusals.push(`stack name "${stack.name}" is no Kubernetes namespace name (a letter first, at most 63 characters): pass --name NAME`);
    return { ...notes, namespace: '', objects: [] };
  }
  const labels = stackLabels(stack.name);
  const objects: K8sObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } }];
  objects.push(...(filesOf(stack, namespace, labels, opts.showSecrets === true) as K8sObject[]));
  objects.push(...(claimsOf(stack, namespace, labels, notes) as K8sObject[]));
  const seen = new Map<string, string>();
  const workloads: K8sObject[] = [];
  const services: K8sObject[] = [];
  for (const svc of stack.services) {
    const name = dnsName(svc.name);
    if (name === undefined) {
      notes.refusals.push(`service ${svc.name}: no valid Kubernetes name (a letter first, at most 63 characters): rename the service`);
      continue;
    }
    const clash = seen.get(name);
    if (clash !== undefined) {
      notes.refusals.push(`services ${clash} and ${svc.name} both become "${name}" on Kubernetes: rename one`);
      continue;
    }
    seen.set(name, svc.name);
    workloads.push(workloadOf(stack, svc, name, namespace, labels, notes) as K8sObject);
    services.push(...(servicesOf(stack.name, svc, name, namespace, labels, notes) as K8sObject[]));
  }
  for (const key of [...Object.keys(stack.secrets), ...Object.keys(stack.configs)]) {
    if (dnsName(key) === undefined)
      notes.refusals.push(`secret or config "${key}": no valid Kubernetes name (a letter first, letters, digits and -): rename it`);
  }
  const rank = (o: K8sObject) => KINDS.indexOf(o.kind as (typeof KINDS)[number]);
  workloads.sort((a, b) => rank(a) - rank(b));
  objects.push(...workloads, ...services);
  return { ...notes, warnings: [...new Set(notes.warnings)], refusals: [...new Set(notes.refusals)], namespace, objects };
}
