// Preloaded into the measured CLI (node --import): on exit, writes the process's
// peak resident memory to the file named by ROLLCALL_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.ROLLCALL_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
