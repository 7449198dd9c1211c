// Preloaded into the measured CLI (node --import): on exit, writes the process's
// peak resident memory to the file named by ROLLCALL_BENCH_RSS_FILE, and its
// CPU time ({ user, system } in microseconds, as JSON) to ROLLCALL_BENCH_CPU_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.ROLLCALL_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
const cpuFile = process.env.ROLLCALL_BENCH_CPU_FILE;
if (cpuFile) process.on('exit', () => writeFileSync(cpuFile, JSON.stringify(process.cpuUsage())));
