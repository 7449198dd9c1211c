import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { callerIdentity } from '../answers/caller-identity.js';
import { carryEdits } from '../baseline/merge.js';
import { collectInventory } from '../collect/collect.js';
import { InputError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { checkBaseline, loadBaseline } from '../load/baseline.js';
import { readInventory } from '../load/inventory.js';
import { builtinRulesDir, loadRules } from '../load/rules.js';
import type { Baseline } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import { writeChunksAtomic } from '../report/output.js';
import { auditExitCode } from '../report/summary.js';
import { addExposedKeys } from '../scan/baseline-edit.js';
import { scanFiles } from '../scan/files.js';
import { Findings } from '../scan/findings.js';
import { readExposedKeyEvents } from '../scan/health.js';
import { repositoryAt, scanHistory } from '../scan/history.js';
import { accountKeyIds, lookUpKeys } from '../scan/lookup.js';
import { buildScanReport, scanMarkdown, shortCommit, type ScanReport } from '../scan/report.js';
import { exposedKeyViolations } from '../scan/violations.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from '../write-file.js';
import { checkOutputFile } from './arguments.js';
import { makeClients, makeLog, parseCollection, parseNow, parseSeverity, withCollection, type Collection, type CollectionOptions } from './options.js';

export interface ScanSecretsOptions extends CollectionOptions {
  inventory?: string;
  format: string;
  out?: string;
  failOn: string;
  /** A baseline whose incident.exposedKeys gets the account's keys found. */
  addToBaseline?: string;
  /** Also read AWS Health's AWS_RISK_CREDENTIALS_EXPOSED events (live). */
  awsHealth?: boolean;
}

/** Scans PATH (files, and the whole history when it is a repository), looks the keys up in the account, reports; never a secret, only its first 4 characters. */
export async function runScanSecrets(path: string, o: ScanSecretsOptions): Promise<ExitCode> {
  const log = makeLog(o);
  const failOn = parseSeverity(o.failOn);
  if (o.format !== 'md' && o.format !== 'json') throw InputError.at({ file: '--format' }, `must be md or json (got '${o.format}')`);
  if (o.out) checkOutputFile('--out', o.out);
  const collection = o.inventory ? undefined : parseCollection(o);
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw InputError.at({ file: path }, 'no such file or folder to scan');
  }
  const baseline: Baseline | undefined = o.addToBaseline ? loadBaseline(o.addToBaseline) : undefined;
  const expect = baseline && { account: baseline.account.id, file: o.addToBaseline! };
  const now = parseNow(undefined);
  // A saved inventory is checked before the scan, so bad input fails fast.
  const saved = o.inventory ? await savedInventory(o.inventory, expect) : undefined;

  const findings = new Findings();
  const repo = stats.isDirectory() ? await repositoryAt(path) : null;
  const started = performance.now();
  const files = repo?.bare ? { files: 0, skippedBinary: 0, unreadable: 0 } : await scanFiles(path, findings);
  const history = repo ? await scanHistory(repo, findings) : undefined;
  const healthNote = o.awsHealth ? await readHealth(o, findings, log) : undefined;
  const found = findings.keys();
  log(
    `scanned ${files.files} files${history ? ` and ${history.commits} commits` : ''} in ${((performance.now() - started) / 1000).toFixed(2)} s: ${found.length} access key id${found.length === 1 ? '' : 's'}`,
  );

  // Nothing found, nothing to look up: no AWS call.
  const inventory: Inventory | undefined = saved ?? (found.length === 0 ? undefined : await liveInventory(o, collection!, now, expect));
  const accountId = inventory?.accountId ?? baseline?.account.id ?? '';
  const keys = inventory ? lookUpKeys(found, inventory) : [];
  const violations = inventory ? exposedKeyViolations({ inventory, ...(baseline ? { baseline } : {}), rules: loadRules([builtinRulesDir()]), keyIds: accountKeyIds(keys), now }) : [];
  const report = buildScanReport({
    version: VERSION,
    now,
    path,
    accountId,
    scanned: { files: files.files, skippedBinary: files.skippedBinary, repository: repo !== null, ...(history ? { commits: history.commits } : {}) },
    keys,
    violations,
    notes: [
      ...(healthNote ? [healthNote] : []),
      ...(history?.notes ?? []),
      ...(repo === null && stats.isDirectory() ? ['not the root of a git repository: only the files as they are now were scanned'] : []),
      ...(files.unreadable > 0 ? [`${files.unreadable} files or folders could not be read and were not scanned (permissions?)`] : []),
    ],
  });
  const text = o.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : scanMarkdown(report);
  if (o.out) {
    writeChunksAtomic(o.out, [text]);
    log(`report written to ${o.out}`);
  } else {
    process.stdout.write(text);
  }
  for (const k of report.keys.filter((k) => k.status === 'active')) log(`ACTIVE key ${k.keyId} of user ${k.user ?? '?'} found in ${k.locations.length} place(s)`);
  if (o.addToBaseline) addToBaseline(o.addToBaseline, report, now, log);
  else if (report.keys.some((k) => k.status === 'active' || k.status === 'inactive')) log("add the account's keys found to the baseline's incident.exposedKeys (--add-to-baseline BASELINE), then `rollcall plan` rotates them");
  const code = auditExitCode(report.violations, failOn);
  // Asked for and not read, AWS Health leaves the scan incomplete.
  return healthNote && code === EXIT.clean ? EXIT.incomplete : code;
}

const mismatch = (expect: { account: string; file: string }, account: string, source: string) =>
  InputError.at({ file: expect.file, path: '/account/id' }, `the baseline is for account ${expect.account}, but ${source} is for account ${account}: refusing to add another account's keys to it`);

async function savedInventory(file: string, expect?: { account: string; file: string }): Promise<Inventory> {
  const inventory = await readInventory(file);
  if (expect && inventory.accountId !== expect.account) throw mismatch(expect, inventory.accountId, `the inventory ${file}`);
  return inventory;
}

function liveInventory(o: ScanSecretsOptions, collection: Collection, now: Date, expect?: { account: string; file: string }): Promise<Inventory> {
  return withCollection(o, collection, now, async (clients, options) => {
    const caller = await callerIdentity(clients);
    if (expect && caller.account !== expect.account) throw mismatch(expect, caller.account, 'the credentials in use');
    return collectInventory(clients, options, caller);
  });
}

function addToBaseline(file: string, report: ScanReport, now: Date, log: (m: string) => void): void {
  const original = readFileSync(file, 'utf8');
  const document = parseDocument(original);
  const before = document.clone();
  const date = now.toISOString().slice(0, 10);
  const added = addExposedKeys(
    document,
    report.keys
      .filter((k) => k.status === 'active' || k.status === 'inactive')
      .map((k) => {
        const first = k.locations.find((l) => l.commit) ?? k.locations[0];
        const aws = k.reportedByAws?.[0];
        if (!first && aws) return { keyId: k.keyId, note: `reported exposed by AWS Health (${aws.startTime ? `since ${aws.startTime}` : 'AWS_RISK_CREDENTIALS_EXPOSED'}): rollcall scan-secrets ${date}` };
        const where = first?.commit ? `commit ${shortCommit(first.commit)}` : 'working tree';
        return { keyId: k.keyId, note: `leaked in code: rollcall scan-secrets ${date}, ${where} (${k.locations.length} place(s))${aws ? ', and reported by AWS Health' : ''}` };
      }),
  );
  if (added.length === 0) {
    log(`${file} already lists every key found in incident.exposedKeys`);
    return;
  }
  const carried = carryEdits(original, before, document);
  const data = parseDocument(carried.text).toJS();
  const problems = checkBaseline({ file: '<edited baseline>', data, locate: () => undefined, locateAll: (t) => t.map(() => undefined) });
  if (problems.length > 0) throw new Error(`the baseline written would not be valid: ${problems.map((p) => `${p.path ?? ''}: ${p.message}`).join('; ')}`);
  writeFileAtomic(file, carried.text);
  log(`${file}: added ${added.join(', ')} to incident.exposedKeys; \`rollcall plan -b ${file}\` plans their rotation`);
  if (!(data as Baseline).incident?.since) log(`${file} has no incident.since: set it to when the key leaked (the first commit holding it, at the latest)`);
}

/** AWS Health's exposed-key events, added to the findings; a note when Health could not be read. */
async function readHealth(o: ScanSecretsOptions, findings: Findings, log: (m: string) => void): Promise<string | undefined> {
  const clients = await makeClients(o);
  try {
    const read = await readExposedKeyEvents(clients.health());
    for (const r of read.reports) findings.addReported(r.keyId, { eventArn: r.eventArn, ...(r.startTime ? { startTime: r.startTime } : {}) });
    log(read.note ?? `AWS Health: ${read.reports.length} exposed-key report(s)`);
    return read.note;
  } finally {
    clients.destroy();
  }
}
