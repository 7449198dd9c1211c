// How long loading the rules and a baseline takes, as audit does before it
// reads an inventory: loadRules of the built-in rules, then loadLocatedBaseline
// of BASELINE (their schemas' validators included), each run in a fresh process
// (as the CLI does, once per run), the median of --runs (default 5). Not a test:
// numbers depend on the machine.
//   npm run build && node scripts/engine-inventory.mjs /tmp/h1 --format jsonl
//   node scripts/measure-inputs.mjs /tmp/h1/baseline.yaml [--dist DIR] [--runs N]
// --dist: a compiled tree other than this checkout's dist/ (an older build, the same way).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const [baselineFile] = args;
if (!baselineFile) throw new Error('usage: node scripts/measure-inputs.mjs BASELINE [--dist DIR] [--runs N]');
let dist = fileURLToPath(new URL('../dist/', import.meta.url));
let runs = 5;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--dist') dist = path.resolve(args[++i]);
  else if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--child') break;
  else throw new Error(`unknown argument ${args[i]}`);
}

if (args.includes('--child')) {
  const load = (p) => import(new URL(p, pathToFileURL(dist + path.sep)).href);
  const { loadRules, builtinRulesDir } = await load('load/rules.js');
  const { loadLocatedBaseline } = await load('load/baseline.js');
  const ms = () => Number(process.hrtime.bigint()) / 1e6;
  let t = ms();
  const rules = loadRules([builtinRulesDir()]);
  const rulesMs = ms() - t;
  t = ms();
  loadLocatedBaseline(baselineFile, { ids: new Set(rules.map((r) => r.id)), from: 'the built-in rules' });
  const baselineMs = ms() - t;
  console.log(JSON.stringify({ rules: rulesMs, baseline: baselineMs, total: rulesMs + baselineMs }));
} else {
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), baselineFile, '--dist', dist, '--child'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    rows.push(JSON.parse(r.stdout));
  }
  const median = (k) => {
    const v = rows.map((r) => r[k]).sort((a, b) => a - b);
    return Math.round(v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
  };
  console.log(`${dist}: median of ${runs} runs: rules ${median('rules')} ms, baseline ${median('baseline')} ms, together ${median('total')} ms`);
}
