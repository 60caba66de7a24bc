/**
 * undici's Agent by its module path. `import { Agent } from 'undici'` loads all of undici (fetch,
 * WebSocket, EventSource, caches, mocks: 1 MB, 2.2x `node -e 0` on its own), of which the CLI uses
 * the Agent alone (1.3x). undici has no `exports` map, so the path is reachable by Node's rules;
 * the type is undici's own declaration of the same class.
 */
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}
