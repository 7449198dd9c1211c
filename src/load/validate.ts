import { statSync } from 'node:fs';
import { InputError, type InputProblem } from '../errors.js';
import { basename, extname } from 'node:path';
import { checkBaseline, exceptionRuleProblems } from './baseline.js';
import { checkInventory } from './inventory.js';
import { checkPlan } from './plan.js';
import { builtinRulesDir, checkRuleFiles, ruleFilesIn } from './rules.js';
import { resolve } from 'node:path';
import { readDataFile, type DataFile } from './yaml-file.js';

export type FileKind = 'baseline' | 'rule' | 'inventory' | 'plan';

export interface Validated {
  file: string;
  kind: FileKind;
  ok: true;
}

/**
 * Validates baselines, rules and inventories, telling them apart by content:
 * a file with top-level `relation` and `resource` is a rule, one with
 * `resources` and `gaps` an inventory, one with `steps` and `digest` a plan, anything else a baseline. A directory
 * is searched for YAML files, each judged the same way. Rules are also checked together (unique ids). Throws one
 * InputError listing every problem in every file.
 */
export function validateFiles(files: string[]): Validated[] {
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
  const checkFile = (file: string): void => {
    const data = readDataFile(file);
    const kind = detectKind(data.data);
    if (kind === 'rule') {
      ruleFiles.push(file);
      return;
    }
    const own = kind === 'inventory' ? checkInventory(data) : kind === 'plan' ? checkPlan(data) : checkBaseline(data);
    problems.push(...own);
    if (own.length === 0) results.push({ file, kind, ok: true });
    if (kind === 'baseline') baselines.push(data);
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
  if (problems.length > 0) throw new InputError(problems);
  return results;
}

export function detectKind(data: unknown): FileKind {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    if ('relation' in data && 'resource' in data) return 'rule';
    if ('resources' in data && 'gaps' in data) return 'inventory';
    if ('steps' in data && 'digest' in data) return 'plan';
  }
  return 'baseline';
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // readDataFile reports it, worded like any unreadable file
  }
}
