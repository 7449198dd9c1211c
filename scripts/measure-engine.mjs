// Where an audit of a large saved inventory spends its time and memory, phase
// by phase, in one process (not a test: numbers depend on the machine):
//   npm run build && node scripts/measure-engine.mjs INVENTORY BASELINE [--dist DIR] [--now ISO]
// Phases: reading the inventory (text and parse, or the streaming reader),
// schema validation, rule loading, evaluation (grouping by type, baseline
// matching, the rules' conditions, messages and fingerprints), exceptions,
// the report's building and its writing (JSON, to a temporary file). Each phase
// prints its wall time and the heap and RSS after it. --dist: a compiled tree
// other than this checkout's dist/ (to measure an older build the same way).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const [inventoryFile, baselineFile] = args;
if (!inventoryFile || !baselineFile) throw new Error('usage: node scripts/measure-engine.mjs INVENTORY BASELINE [--dist DIR] [--now ISO]');
let dist = new URL('../dist/', import.meta.url).href;
let now = new Date('2026-11-22T12:00:00Z');
for (let i = 2; i < args.length; i++) {
  if (args[i] === '--dist') dist = pathToFileURL(path.resolve(args[++i]) + '/').href;
  else if (args[i] === '--now') now = new Date(args[++i]);
  else throw new Error(`unknown argument ${args[i]}`);
}
const load = (p) => import(new URL(p, dist).href);

const rows = [];
let t = process.hrtime.bigint();
const mb = (n) => `${(n / 1048576).toFixed(0)} MiB`;
function phase(name) {
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const m = process.memoryUsage();
  rows.push({ phase: name, 'ms': Math.round(ms), heap: mb(m.heapUsed), rss: mb(m.rss) });
  t = process.hrtime.bigint();
}

const yamlFile = await load('load/yaml-file.js');
const schemas = await load('load/schemas.js');
const inventoryModule = await load('load/inventory.js');
const { loadRules, builtinRulesDir } = await load('load/rules.js');
const { loadLocatedBaseline } = await load('load/baseline.js');
const { evaluate } = await load('engine/evaluate.js');
const { buildReport } = await load('report/audit-report.js');
const { jsonChunks } = await load('report/json.js');
const { writeChunksAtomic } = await load('report/output.js');
phase('modules');

let inventory;
if (inventoryModule.readInventory && !inventoryFile.endsWith('.json')) {
  inventory = await inventoryModule.readInventory(inventoryFile);
  phase('read (streaming, validated line by line)');
} else {
  const text = readFileSync(inventoryFile, 'utf8');
  phase(`read text (${mb(statSync(inventoryFile).size)})`);
  const data = JSON.parse(text);
  phase('JSON.parse');
  inventory = data;
  const file = { file: inventoryFile, data, locate: () => undefined, locateAll: (ts) => ts.map(() => undefined) };
  const problems = schemas.schemaProblems('inventory', file);
  phase(`schema validation (${problems.length} problems)`);
  if (inventoryModule.readInventory) {
    inventory = undefined;
    globalThis.gc?.();
    t = process.hrtime.bigint();
    inventory = await inventoryModule.readInventory(inventoryFile);
    phase('readInventory (the whole of it, as audit does)');
  } else {
    inventory = undefined;
    t = process.hrtime.bigint();
    inventory = yamlFile.loadChecked(inventoryFile, inventoryModule.checkInventory);
    phase('loadInventory (the whole of it, as audit does)');
  }
}
const rules = loadRules([builtinRulesDir()]);
const { baseline } = loadLocatedBaseline(baselineFile, { ids: new Set(rules.map((r) => r.id)), from: 'the built-in rules' });
phase(`rules (${rules.length}) and baseline`);
const { violations, warnings } = evaluate({ inventory, baseline, rules, now });
phase(`evaluate (${inventory.resources.length} resources, ${violations.length} violations)`);
const report = buildReport({ version: '0', now, inventory, baselineFile, ruleCount: rules.length, violations, warnings, notes: [] });
phase('buildReport');
const out = mkdtempSync(path.join(tmpdir(), 'rollcall-measure-engine-'));
try {
  writeChunksAtomic(path.join(out, 'report.json'), jsonChunks({ ...report }));
} finally {
  rmSync(out, { recursive: true, force: true });
}
phase('write JSON report');
console.log(`node ${process.version}; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
console.table(rows);
