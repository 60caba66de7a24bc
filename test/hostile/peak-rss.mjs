// Preloaded with `node --import` into the CLI under test: on exit, write the process's peak
// resident set size (process.resourceUsage().maxRSS, in KiB) to $ZANTARA_PEAK_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.ZANTARA_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
