/** `host:port` for a server we start (`exporter --listen`, `load --metrics-listen`); `[::1]:9464` for IPv6, port 0 for any free port. */
import { z } from 'zod';

const LISTEN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export const listenAddress = z.string().refine((v) => {
  const m = LISTEN.exec(v);
  return m !== null && Number(m[2]) <= 65535;
}, 'expected host:port, e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464 (port 0: any free port)');

export function splitListen(value: string): { host: string; port: number } {
  const m = LISTEN.exec(value);
  if (!m) throw new Error(`not a listen address: ${value}`);
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
