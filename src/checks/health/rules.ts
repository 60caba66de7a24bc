import { z } from 'zod';
import { finding, type Finding } from '../../core/finding.js';
import type { HttpObservation } from '../../http/types.js';
import { noResponse, requestLine, skipped } from '../../core/verdicts.js';

/** What a health endpoint of the contract answers (extra fields allowed). */
export const healthBodySchema = z
  .object({
    status: z.string().refine((s) => /^(healthy|ok)$/i.test(s), { message: 'expected "healthy" or "ok"' }),
    version: z.string(),
    uptime: z.number().nonnegative().optional(),
  })
  .loose();

export interface HealthExpectation {
  origin: string;
  latencyWarnMs: number;
}

/** Judge one GET <target>/health: status, body, latency and the CORS header for the app's origin. */
export function judgeHealth(obs: HttpObservation, exp: HealthExpectation): Finding[] {
  const target = obs.target;
  const res = obs.response;
  if (!res) return [noResponse('health.status', `${target} health`, obs)];
  const evidence = { request: requestLine(obs), status: res.status };
  const findings: Finding[] = [];

  const ok = res.status === 200;
  findings.push(
    finding({
      id: 'health.status',
      target,
      status: ok ? 'pass' : 'fail',
      title: `${target} health answers 200`,
      expected: '200',
      observed: `${res.status}${redirectNote(res.status, res.headers.location)}${res.body ? `: ${res.body.slice(0, 200)}` : ''}`,
      remedy: ok ? undefined : `make ${obs.request.url} answer 200 when the service is healthy`,
      evidence,
      attempts: obs.attempts,
    }),
  );
  findings.push(ok ? judgeBody(obs, res) : skipped('health.body', target, `${target} health body`, `not judged: health answered ${res.status}`));
  findings.push(judgeLatency(obs, exp.latencyWarnMs));
  findings.push(judgeHealthCors(obs, exp.origin));
  return findings;
}

/** Redirects are never followed (the configured headers must not reach another origin): say where it pointed. */
function redirectNote(status: number, location: string | undefined): string {
  return status >= 300 && status < 400 && location ? ` redirect to ${location} (not followed)` : '';
}

function judgeBody(obs: HttpObservation, res: NonNullable<HttpObservation['response']>): Finding {
  const base = {
    id: 'health.body',
    target: obs.target,
    title: `${obs.target} health body is the contract's JSON`,
    expected: '{"status":"healthy"|"ok","version":string,"uptime"?:number}',
  };
  const body = res.body;
  // A body cut at the byte cap is not "not JSON": say it was too big, which is what is wrong.
  if (res.truncated) {
    const announced = res.headers['content-length'] ? ` of ${res.headers['content-length']} announced` : '';
    return finding({
      ...base,
      status: 'fail',
      observed: `body beyond the byte cap (maxBodyBytes): reading stopped after ${res.bodyBytes} bytes${announced}: ${body.slice(0, 100)}`,
      remedy: 'answer /health with a small JSON document',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return finding({ ...base, status: 'fail', observed: `not JSON: ${JSON.stringify(body.slice(0, 200))}`, remedy: 'answer with Content-Type: application/json and a JSON body' });
  }
  const parsed = healthBodySchema.safeParse(json);
  if (parsed.success) return finding({ ...base, status: 'pass', observed: body.slice(0, 200) });
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(body)';
  return finding({
    ...base,
    status: 'fail',
    observed: `${where}: ${issue?.message ?? 'invalid'} in ${body.slice(0, 200)}`,
    remedy: 'return e.g. {"status":"healthy","version":"1.2.3","uptime":123}',
  });
}

function judgeLatency(obs: HttpObservation, warnMs: number): Finding {
  const ms = Math.round(obs.timings.totalMs);
  const fast = ms <= warnMs;
  return finding({
    id: 'health.latency',
    target: obs.target,
    status: fast ? 'pass' : 'warn',
    title: `${obs.target} health answers within ${warnMs} ms`,
    expected: `<= ${warnMs} ms`,
    observed: `${ms} ms (first byte ${Math.round(obs.timings.ttfbMs ?? ms)} ms)`,
    remedy: fast ? undefined : 'health must not do slow work (database round trips, model calls) inline; cache or time-box them',
  });
}

/** The web app reads /health cross-origin, so the answer must name the app's origin (or `*`). */
function judgeHealthCors(obs: HttpObservation, origin: string): Finding {
  const acao = obs.response?.rawHeaders.filter(([n]) => n.toLowerCase() === 'access-control-allow-origin').map(([, v]) => v) ?? [];
  const ok = acao.length === 1 && (acao[0] === origin || acao[0] === '*');
  return finding({
    id: 'health.cors',
    target: obs.target,
    status: ok ? 'pass' : 'fail',
    title: `${obs.target} health is readable from ${origin}`,
    expected: `Access-Control-Allow-Origin: ${origin}`,
    observed: acao.length === 0 ? 'no Access-Control-Allow-Origin header' : acao.map((v) => `Access-Control-Allow-Origin: ${v}`).join(' + '),
    remedy: ok ? undefined : `send exactly one "Access-Control-Allow-Origin: ${origin}" on /health (CORS middleware before routes)`,
    evidence: { request: `${requestLine(obs)} with Origin: ${origin}`, rule: 'fetch#cors-check' },
  });
}
