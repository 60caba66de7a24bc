/** Flask + flask-cors and Django + django-cors-headers gateways under gunicorn (Debian packages). */
import { realStackSuite } from './suite.js';
import { PYTHON_TARGETS } from './targets.js';

realStackSuite('real stacks: Python gateway frameworks', PYTHON_TARGETS);
