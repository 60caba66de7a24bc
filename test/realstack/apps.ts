/**
 * The framework gateways (apps/*.mjs for Node, apps/*.py under gunicorn for Python), each its
 * own process on a free loopback port with a log in the target's temp dir.
 */
import { fileURLToPath } from 'node:url';
import { findBinary, freePort, type Proc, pythonModule, startProcess, waitReady, type Workdir } from './harness.js';

const APPS = fileURLToPath(new URL('./apps/', import.meta.url));

export interface App {
  url: string;
  proc: Proc;
}

export type NodeFramework = 'express' | 'fastify' | 'hono' | 'koa';

export async function startNodeApp(wd: Workdir, framework: NodeFramework, variant: string, origin: string): Promise<App> {
  const port = await freePort();
  const proc = startProcess(wd, framework, process.execPath, [`${APPS}${framework}.mjs`], {
    log: wd.path(`${framework}.log`),
    env: { PORT: String(port), ORIGIN: origin, VARIANT: variant },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(proc, `${url}/health`);
  return { url, proc };
}

export const GUNICORN = () => findBinary('gunicorn', ['/usr/bin/gunicorn'], 'apt-get install gunicorn');
export const FLASK = () => pythonModule('flask_cors', 'python3-flask python3-flask-cors');
export const DJANGO = () => pythonModule('corsheaders', 'python3-django python3-django-cors-headers');

/** A WSGI app under gunicorn (sync workers, its own pid file), run by Debian's /usr/bin/python3. */
export async function startGunicorn(wd: Workdir, app: 'flask_gateway:app' | 'django_gateway:application', variant: string, origin: string): Promise<App> {
  const port = await freePort();
  const pidFile = wd.path('gunicorn.pid');
  const args = ['/usr/bin/gunicorn', '--bind', `127.0.0.1:${port}`, '--workers', '2', '--pid', pidFile, '--chdir', APPS, app];
  const proc = startProcess(wd, 'gunicorn', '/usr/bin/python3', args, {
    log: wd.path('gunicorn.log'),
    pidFile,
    env: { ORIGIN: origin, VARIANT: variant, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(proc, `${url}/health`);
  return { url, proc };
}
