/**
 * `stream.body`: the JSON the web app POSTs to open a fetch() stream, as a template in which
 * `{{query}}` stands for the question. The question is JSON-escaped (a string's content, without
 * its quotes), so the placeholder belongs inside a JSON string: `{"query": "{{query}}"}`.
 */

export const QUERY_PLACEHOLDER = '{{query}}';

/** Questions every template must survive: the configured one, the empty one (sse.empty-query) and one full of JSON's special characters. */
const AWKWARD_QUERY = 'a "quoted" \\ back\nslash\t\u2028 ünïcode </script>';

/** The text of `query` as it stands inside a JSON string literal. */
export function jsonEscape(query: string): string {
  return JSON.stringify(query).slice(1, -1);
}

/** The body sent for `query`. */
export function renderBody(template: string, query: string): string {
  return template.split(QUERY_PLACEHOLDER).join(jsonEscape(query));
}

export function carriesQuery(template: string): boolean {
  return template.includes(QUERY_PLACEHOLDER);
}

/**
 * Why the template is not usable, or undefined: after substitution of each of `queries` (and an
 * awkward one) it must parse as JSON, so a placeholder outside quotes or a stray comma is a config
 * error, never a 422 from the server.
 */
export function bodyTemplateProblem(template: string, queries: readonly string[]): string | undefined {
  for (const query of [...queries, AWKWARD_QUERY]) {
    const body = renderBody(template, query);
    try {
      JSON.parse(body);
    } catch (err) {
      const where = carriesQuery(template) ? ` with ${QUERY_PLACEHOLDER} = ${JSON.stringify(query)}` : '';
      return `not valid JSON after substitution${where}: ${(err as Error).message}; write the placeholder inside quotes, e.g. {"query": "${QUERY_PLACEHOLDER}", "stream": true}`;
    }
  }
  return undefined;
}
