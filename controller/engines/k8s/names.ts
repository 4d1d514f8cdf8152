/**
 * Kubernetes names and labels for a stack's objects: DNS-1123 names derived from Compose names, the labels
 * every object of a stack carries (prune selects by them), and label validity (a Compose label that is no
 * valid Kubernetes label becomes an annotation).
 */

/** The label that names the stack on every object muster applies; prune selects by it. */
export const STACK_LABEL = 'muster/stack';
/** The label that names the service on its workload, pods and Services. */
export const SERVICE_LABEL = 'muster/service';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'muster' } as const;

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A DNS-1035 label (what Service and namespace names must be, and fine for every other kind) from a Compose
 * name: lower case, `_` and `.` become `-`; undefined when that still is no such name (starts with a digit,
 * over 63 characters).
 */
export function dnsName(name: string): string | undefined {
  const n = name.toLowerCase().replace(/[_.]/g, '-');
  return n.length <= 63 && DNS_LABEL.test(n) ? n : undefined;
}

/** The namespace of a stack: its name as a DNS label. */
export function namespaceOf(stack: string): string | undefined {
  return dnsName(stack);
}

/** The labels every object of the stack carries. */
export function stackLabels(stack: string): Record<string, string> {
  return { ...MANAGED_BY, [STACK_LABEL]: stack };
}

/** The labels a service's pods carry and its selector matches. */
export function selectorLabels(stack: string, service: string): Record<string, string> {
  return { [STACK_LABEL]: stack, [SERVICE_LABEL]: service };
}

const QUALIFIED = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether a key is a valid label (and annotation) key: `[prefix/]name`, name <= 63, prefix a DNS subdomain <= 253. */
export function validLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (name.length === 0 || name.length > 63 || !QUALIFIED.test(name)) return false;
  return prefix === undefined || (prefix.length <= 253 && PREFIX.test(prefix));
}

/** Whether a value is a valid label value: empty, or <= 63 characters of [A-Za-z0-9-_.] with alphanumeric ends. */
export function validLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && QUALIFIED.test(value));
}

/**
 * Splits Compose labels into Kubernetes labels and annotations: a pair that is a valid label stays one,
 * any other goes to annotations (annotation values are free text), and what moved is named in `moved`.
 */
export function splitLabels(labels: Record<string, string>): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  moved: string[];
  invalid: string[];
} {
  const out = { labels: {} as Record<string, string>, annotations: {} as Record<string, string>, moved: [] as string[], invalid: [] as string[] };
  for (const [k, v] of Object.entries(labels)) {
    if (!validLabelKey(k)) out.invalid.push(k);
    else if (validLabelValue(v)) out.labels[k] = v;
    else {
      out.annotations[k] = v;
      out.moved.push(k);
    }
  }
  return out;
}
