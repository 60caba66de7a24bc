/** nginx, Caddy, HAProxy and Apache (Debian packages) in front of the reference gateway and RAG stream. */
import { realStackSuite } from './suite.js';
import { PROXY_TARGETS } from './targets.js';

realStackSuite('real stacks: reverse proxies in front of the stream', PROXY_TARGETS);
