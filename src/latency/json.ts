/** The little JSON reading the latency figures need: parse once, cheaply, and follow a dotted path. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Parsed JSON, or undefined when the data is not JSON (most sentinels fail the first-character test without a throw). */
export function tryJson(text: string): Json | undefined {
  const c = text.trimStart().charCodeAt(0);
  if (c !== 123 && c !== 91 && c !== 34) return undefined; // only objects, arrays and strings carry tokens or stamps
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

export function isRecord(json: Json | undefined): json is { [key: string]: Json } {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}

/** The value at a dotted path (`choices.0.delta.content`); array indexes are numbers. */
export function valueAt(json: Json | undefined, path: readonly string[]): Json | undefined {
  let v: Json | undefined = json;
  for (const key of path) {
    if (Array.isArray(v)) v = v[Number(key)];
    else if (isRecord(v)) v = v[key];
    else return undefined;
  }
  return v;
}

export function splitPath(path: string): string[] {
  return path.split('.').filter((p) => p !== '');
}
