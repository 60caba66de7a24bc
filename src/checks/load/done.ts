/**
 * The done rule as one function over a parsed event, for the hot path: JSON is parsed only when
 * the data could match (the value appears, or an escape such as `\u0064` might hide it), and only until a
 * stream's done is found. Same verdicts as the stream check's matchesDone.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { matchesDone, parseJson } from '../stream/analysis.js';
import type { DoneMatcher } from '../stream/expectation.js';

export function compileDoneRule(rule: readonly DoneMatcher[]): (m: EventSourceMessage) => boolean {
  const needsJson = rule.filter((r): r is Extract<DoneMatcher, { kind: 'json' }> => r.kind === 'json');
  const plain = rule.filter((r) => r.kind !== 'json');
  return (m) => {
    const type = m.event ?? 'message'; // a browser's type for an unnamed event (HTML §9.2.6)
    for (const r of plain) if (matchesDone(r, type, m.data, undefined)) return true;
    if (needsJson.length === 0) return false;
    const data = m.data;
    if (!needsJson.some((r) => data.includes(r.equals)) && !data.includes('\\')) return false;
    const json = parseJson(data);
    return needsJson.some((r) => matchesDone(r, type, data, json));
  };
}
