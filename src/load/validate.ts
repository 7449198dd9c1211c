import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InputError, type InputProblem } from '../errors.js';
import { basename, extname } from 'node:path';
import { checkBaseline, exceptionRuleProblems } from './baseline.js';
import { detectKind, looksLikeJournal, unknownKindMessage, type FileKind } from './file-kind.js';
import { checkInventory } from './inventory.js';
import { inventoryEncoding, readInventoryLines } from './inventory-lines.js';
import { checkJournal } from './journal.js';
import { checkPlan } from './plan.js';
import { checkReport } from './report.js';
import { checkOrgReport } from './org-report.js';
import { schemaProblems } from './schemas.js';
import { builtinRulesDir, checkRuleFiles, ruleFilesIn } from './rules.js';
import { resolve } from 'node:path';
import { readDataFile, type DataFile } from './yaml-file.js';

export { detectKind, type FileKind };

export interface Validated {
  file: string;
  kind: FileKind;
  ok: true;
}

/** What validate found a file to be, checked or not: for the failures' summary. */
export interface Detected {
  file: string;
  kind: FileKind;
}

/** validateFiles' error: every problem, the kind of each file it told apart (rules included), and the files that passed. */
export class ValidationFailed extends InputError {
  constructor(
    problems: InputProblem[],
    readonly detected: Detected[],
    readonly passed: Validated[],
  ) {
    super(problems);
  }
}

/**
 * Validates every kind of file rollcall reads or writes, telling them apart by
 * content (load/file-kind.ts): a journal by its header line; a rule by its
 * top-level `relation` and `resource`, a plan by `steps` and `digest`, a JSON
 * report by `violations` and `summary`, an inventory by `resources` and
 * `gaps`, a baseline by `version` or `account`; anything else is refused,
 * saying what the kinds look like. A directory is searched for YAML files,
 * each judged the same way. Rules are also checked together (unique ids).
 * Throws one ValidationFailed listing every problem in every file.
 */
export function validateFiles(files: string[], streamed: ReadonlyMap<string, InputProblem[]> = new Map()): Validated[] {
  const problems: InputProblem[] = [];
  const results: Validated[] = [];
  const ruleFiles: string[] = [];
  const baselines: DataFile[] = [];
  const collect = (fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
    }
  };
  const detected: Detected[] = [];
  const checkFile = (file: string): void => {
    // A JSON Lines inventory (gzipped or not) is read as a stream beforehand (validatePaths): here, its problems.
    const lines = streamed.get(resolve(file));
    if (lines !== undefined) {
      detected.push({ file, kind: 'inventory' });
      problems.push(...lines);
      if (lines.length === 0) results.push({ file, kind: 'inventory', ok: true });
      return;
    }
    const data = isJournal(file) ? undefined : readDataFile(file);
    const kind = data ? detectKind(data.data) : 'journal';
    if (kind === undefined) throw InputError.at({ file }, unknownKindMessage(data?.data));
    detected.push({ file, kind });
    if (kind === 'rule') {
      ruleFiles.push(file);
      return;
    }
    const own = data ? checkOf(kind, data) : checkJournal(file);
    problems.push(...own);
    if (own.length === 0) results.push({ file, kind, ok: true });
    if (kind === 'baseline' && data) baselines.push(data);
  };
  for (const path of files) {
    collect(() => {
      if (!isDirectory(path)) return checkFile(path);
      for (const file of ruleFilesIn(path)) collect(() => checkFile(file));
    });
  }
  // A file named both on its own and inside a named directory is checked once.
  const unique = ruleFiles.filter((f, i) => ruleFiles.findIndex((g) => resolve(g) === resolve(f)) === i);
  // Audit loads the built-in rules beside any folder of one's own: an id they already use would be refused there.
  const builtin = ruleFilesIn(builtinRulesDir()).filter((f) => !unique.some((u) => resolve(u) === resolve(f)));
  const rules = checkRuleFiles(unique, unique.length > 0 ? new Map(builtin.map((f) => [basename(f, extname(f)), `${f} (a built-in rule)`])) : undefined);
  problems.push(...rules.problems);
  for (const r of rules.rules) results.push({ file: r.source ?? '', kind: 'rule', ok: true });
  // Exceptions name rules: the built-in ones, or one of the rule files given here (a rule's id is its file name).
  if (baselines.length > 0) {
    const ids = new Set([...ruleFilesIn(builtinRulesDir()), ...unique].map((f) => basename(f, extname(f))));
    const from = unique.length > 0 ? 'the built-in rules and the rule files given' : 'the built-in rules (give your rule folders to validate too)';
    for (const b of baselines) {
      const own = exceptionRuleProblems(b, { ids, from });
      problems.push(...own);
      if (own.length > 0) {
        const i = results.findIndex((r) => r.file === b.file && r.kind === 'baseline');
        if (i >= 0) results.splice(i, 1);
      }
    }
  }
  if (problems.length > 0) throw new ValidationFailed(problems, detected, results);
  return results;
}

/**
 * validateFiles, after reading each JSON Lines inventory named (gzipped or
 * not, told by content) as audit reads it, line by line, never whole, with
 * repeated keys refused too: what validate passes, audit reads.
 */
export async function validatePaths(files: string[]): Promise<Validated[]> {
  const streamed = new Map<string, InputProblem[]>();
  for (const file of files) {
    if (isDirectory(file) || inventoryEncoding(file) === 'json') continue;
    try {
      await readInventoryLines(file, { duplicates: true });
      streamed.set(resolve(file), []);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      streamed.set(resolve(file), e.problems);
    }
  }
  return validateFiles(files, streamed);
}

function checkOf(kind: Exclude<FileKind, 'rule'>, data: DataFile): InputProblem[] {
  switch (kind) {
    case 'baseline':
      return checkBaseline(data);
    case 'inventory':
      return checkInventory(data);
    case 'plan':
      return checkPlan(data);
    case 'report':
      return checkReport(data);
    case 'journal':
      return checkJournal(data.file);
    case 'org-report':
      return checkOrgReport(data);
    case 'timeline':
      return schemaProblems('timeline', data);
  }
}

/** A journal is JSON Lines, told by its first line before any YAML or JSON reader sees the file. */
function isJournal(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(64 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    return looksLikeJournal(head.subarray(0, n).toString('utf8'));
  } catch {
    return false; // readDataFile reports it, worded like any unreadable file
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // readDataFile reports it, worded like any unreadable file
  }
}
