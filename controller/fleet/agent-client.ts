/**
 * The controller's calls of the agent API: the report (polled with its tag), the desired set, files,
 * availability and heartbeats. Each is one request through agent-request.ts, its answer read into a result or
 * an AgentFailure said for people.
 */
import type { HeartbeatRequest } from '../../shared/heartbeat.js';
import type { Availability, DesiredSet, NodeReport } from '../../shared/wire.js';
import { type AgentAnswer, type AgentFailure, type AgentTarget, agentRequest, hostPort, parseJson, refusal, tokenRefused } from './agent-request.js';

/** A report, with the fingerprint of the certificate it came under. */
export interface AgentReport {
  ok: true;
  report: NodeReport;
  /** SHA-256 fingerprint of the agent's certificate */
  fingerprint: string;
}

/** Pure: an HTTP answer -> the report, or why it is not one. */
export function classifyAnswer(status: number, body: string, where: string): { ok: true; report: NodeReport } | AgentFailure {
  if (status === 401 || status === 403) return tokenRefused(status, where);
  if (status !== 200)
    return {
      ok: false,
      kind: 'bad-answer',
      message: `the agent at ${where} answered HTTP ${status}`,
      hint: "read the agent's log on the node: journalctl -u muster-agent",
    };
  const parsed = parseJson(body, where);
  if (!parsed.ok) return parsed;
  const r = parsed.value as Partial<NodeReport> | null;
  if (!r || typeof r !== 'object' || typeof r.agentVersion !== 'string' || typeof r.node !== 'object' || r.node === null || typeof r.collectedAt !== 'string')
    return notA('an agent report', where);
  return { ok: true, report: r as NodeReport };
}

/** GET /v1/report from one agent, within timeoutMs. Never throws. */
export async function getReport(target: AgentTarget, timeoutMs: number): Promise<AgentReport | AgentFailure> {
  const answer = await agentRequest(target, 'GET', '/v1/report', timeoutMs);
  return answer.ok ? reportOf(answer, target) : answer;
}

/** The report in an agent's answer, with its certificate's fingerprint and its tag. */
function reportOf(answer: AgentAnswer, target: AgentTarget): (AgentReport & { etag?: string }) | AgentFailure {
  const report = classifyAnswer(answer.status, answer.body, hostPort(target.address, target.port));
  return report.ok ? { ...report, fingerprint: answer.fingerprint, ...(answer.etag ? { etag: answer.etag } : {}) } : report;
}

/** A poll's answer when the agent's report is still the one tagged `etag` (HTTP 304: nothing to read or parse). */
export interface ReportUnchanged {
  ok: true;
  unchanged: true;
}

/**
 * GET /v1/report with `If-None-Match: etag` (when given): the report and its tag, or `unchanged` when the agent
 * still holds that report. The manager polls every node each second and most reports are the same as a
 * second ago. Never throws.
 */
export async function pollReport(
  target: AgentTarget,
  timeoutMs: number,
  etag: string | undefined,
): Promise<(AgentReport & { etag?: string }) | ReportUnchanged | AgentFailure> {
  const answer = await agentRequest(target, 'GET', '/v1/report', timeoutMs, undefined, etag ? { 'if-none-match': etag } : {});
  if (!answer.ok) return answer;
  if (answer.status === 304 && etag) return { ok: true, unchanged: true };
  return reportOf(answer, target);
}

/** An answer that parsed but is not `what` (`an agent report`): the versions differ. */
const notA = (what: string, where: string): AgentFailure => ({
  ok: false,
  kind: 'bad-answer',
  message: `the answer from ${where} is not ${what}`,
  hint: 'the agent may be too old or too new for this controller: upgrade both',
});

/** The node's desired set, or null when it never received one. */
export interface DesiredAnswer {
  ok: true;
  set: DesiredSet | null;
}

/** GET /v1/desired: the set the agent holds (null on 404 E_NO_DESIRED). Never throws. */
export async function getDesired(target: AgentTarget, timeoutMs: number): Promise<DesiredAnswer | AgentFailure> {
  const where = hostPort(target.address, target.port);
  const answer = await agentRequest(target, 'GET', '/v1/desired', timeoutMs);
  if (!answer.ok) return answer;
  if (answer.status === 404 && /"E_NO_DESIRED"/.test(answer.body)) return { ok: true, set: null };
  if (answer.status !== 200) return refusal(answer.status, answer.body, where, 'GET /v1/desired');
  const parsed = parseJson(answer.body, where);
  if (!parsed.ok) return parsed;
  const set = parsed.value as Partial<DesiredSet> | null;
  if (!set || typeof set !== 'object' || !Number.isSafeInteger(set.generation) || !Array.isArray(set.containers)) return notA('a desired set', where);
  return { ok: true, set: set as DesiredSet };
}

/**
 * What became of a desired set: accepted, unchanged (the same generation and content again), or stale (the
 * agent holds a newer or different set of that generation: another deploy raced; `generation` is the agent's).
 */
export interface PutDesiredAnswer {
  ok: true;
  outcome: 'accepted' | 'unchanged' | 'stale';
  generation: number;
}

/** PUT /v1/desired. Never throws; a 409 is the 'stale' outcome with the agent's current generation. */
export async function putDesired(target: AgentTarget, set: DesiredSet, timeoutMs: number): Promise<PutDesiredAnswer | AgentFailure> {
  const where = hostPort(target.address, target.port);
  const answer = await agentRequest(target, 'PUT', '/v1/desired', timeoutMs, set);
  if (!answer.ok) return answer;
  if (answer.status === 409) {
    const current = (() => {
      try {
        return (JSON.parse(answer.body) as { error?: { current?: unknown } }).error?.current;
      } catch {
        return undefined;
      }
    })();
    return { ok: true, outcome: 'stale', generation: typeof current === 'number' ? current : -1 };
  }
  if (answer.status !== 200) return refusal(answer.status, answer.body, where, `desired set generation ${set.generation}`);
  const parsed = parseJson(answer.body, where);
  if (!parsed.ok) return parsed;
  const v = parsed.value as { outcome?: unknown; generation?: unknown } | null;
  const outcome = v?.outcome === 'unchanged' ? 'unchanged' : 'accepted';
  return { ok: true, outcome, generation: typeof v?.generation === 'number' ? v.generation : set.generation };
}

/** PUT /v1/files/{name}: delivers a secret or config (base64 in JSON); the content never comes back. Never throws. */
export async function putFile(
  target: AgentTarget,
  name: string,
  kind: 'secret' | 'config',
  data: Buffer,
  timeoutMs: number,
): Promise<{ ok: true } | AgentFailure> {
  const where = hostPort(target.address, target.port);
  const answer = await agentRequest(target, 'PUT', `/v1/files/${encodeURIComponent(name)}`, timeoutMs, { kind, data: data.toString('base64') });
  if (!answer.ok) return answer;
  if (answer.status < 200 || answer.status > 299) return refusal(answer.status, answer.body, where, `the ${kind} ${name}`);
  return { ok: true };
}

/** POST /v1/availability: active, pause or drain. Never throws. */
export async function setAvailability(
  target: AgentTarget,
  availability: Availability,
  timeoutMs: number,
): Promise<{ ok: true; availability: Availability } | AgentFailure> {
  const where = hostPort(target.address, target.port);
  const answer = await agentRequest(target, 'POST', '/v1/availability', timeoutMs, { availability });
  if (!answer.ok) return answer;
  if (answer.status < 200 || answer.status > 299) return refusal(answer.status, answer.body, where, `availability ${availability}`);
  return { ok: true, availability };
}

/**
 * PUT /v1/heartbeat: asks the agent to send its heartbeats to this machine's UDP `port` (the agent sends to the
 * address this request comes from). An agent older than heartbeats answers 404: the manager then polls it.
 * Never throws.
 */
export async function askHeartbeats(
  target: AgentTarget,
  req: HeartbeatRequest,
  timeoutMs: number,
): Promise<{ ok: true; to: string; ttlMs: number } | AgentFailure> {
  const where = hostPort(target.address, target.port);
  const answer = await agentRequest(target, 'PUT', '/v1/heartbeat', timeoutMs, req);
  if (!answer.ok) return answer;
  if (answer.status !== 200) return refusal(answer.status, answer.body, where, 'heartbeats');
  const parsed = parseJson(answer.body, where);
  if (!parsed.ok) return parsed;
  const v = parsed.value as { to?: unknown; ttlMs?: unknown } | null;
  return { ok: true, to: typeof v?.to === 'string' ? v.to : '', ttlMs: typeof v?.ttlMs === 'number' ? v.ttlMs : 0 };
}
