import { readFileSync } from 'node:fs';

declare const __ZANTARA_VERSION__: string | undefined;

function readVersion(): string {
  // The single-file bundle has the version inlined by esbuild (`define`); from dist/ we read package.json.
  if (typeof __ZANTARA_VERSION__ === 'string') return __ZANTARA_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export const TOOL_NAME = 'zantara-audit';
export const VERSION = readVersion();
