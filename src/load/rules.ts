import { readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { InputError, type InputProblem } from '../errors.js';
import type { Rule } from '../model/rule.js';
import { packagePath } from '../paths.js';
import { RESOURCE_TYPES, type ResourceType } from '../model/resource.js';
import { pathProblem, type PathScope } from './rule-paths.js';
import { templateProblems } from './rule-template.js';
import { schemaProblems, sortProblems } from './schemas.js';
import { errorText, problemAt, readDataFile, type DataFile } from './yaml-file.js';

/** The package's built-in rule packs. */
export function builtinRulesDir(): string {
  return packagePath('rules');
}

/**
 * Loads every rule file (`*.yaml`, `*.yml`) under each directory, recursively.
 * A rule's pack is the name of the folder holding its file. Every problem in
 * every file is reported at once, as one InputError.
 */
export function loadRules(dirs: string[]): Rule[] {
  const problems: InputProblem[] = [];
  const files: string[] = [];
  for (const dir of dirs) {
    try {
      files.push(...ruleFilesIn(dir));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
    }
  }
  const checked = checkRuleFiles(files);
  problems.push(...checked.problems);
  if (problems.length > 0) throw new InputError(problems);
  return checked.rules;
}

/** Rule files under a directory, sorted; an InputError when it is missing, unreadable or holds none. */
export function ruleFilesIn(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      throw InputError.at({ file: d }, `cannot read: ${errorText(e)}`);
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/i.test(entry.name)) found.push(path);
    }
  };
  walk(dir);
  if (found.length === 0) throw InputError.at({ file: dir }, 'no rule files (*.yaml, *.yml) in this directory');
  return found;
}

/**
 * Checks rule files on their own and together (unique ids). Rules come back
 * only for files without problems. `alongside`: the ids of rules loaded with
 * these (the built-in ones, when validating a folder of one's own) and where.
 */
export function checkRuleFiles(files: string[], alongside?: ReadonlyMap<string, string>): { rules: Rule[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const rules: Rule[] = [];
  const firstById = new Map<string, string | DataFile>(alongside);
  for (const file of files) {
    let data: DataFile;
    try {
      data = readDataFile(file);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    const own = sortProblems([...schemaProblems('rule', data), ...ruleProblems(data, firstById)]);
    problems.push(...own);
    if (own.length === 0) rules.push({ ...(data.data as Rule), source: file, pack: basename(dirname(file)) });
  }
  return { rules, problems };
}

type Rec = Record<string, unknown>;

function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** What the schema cannot check: the id against the file name and other files, regexes that compile. */
function ruleProblems(file: DataFile, firstById: Map<string, string | DataFile>): InputProblem[] {
  const rule = file.data;
  if (!isRec(rule)) return [];
  const problems: InputProblem[] = [];
  if (typeof rule.id === 'string') {
    const expected = basename(file.file, extname(file.file));
    if (rule.id !== expected) {
      problems.push(problemAt(file, '/id', `rule id '${rule.id}' must equal the file name '${expected}'`));
    }
    const first = firstById.get(rule.id);
    if (first !== undefined) {
      problems.push(problemAt(file, '/id', `duplicate rule id '${rule.id}': also defined in ${typeof first === 'string' ? first : idAt(first)}`));
    } else {
      firstById.set(rule.id, file); // located only if another file takes the id: locating a file costs a full parse
    }
  }
  walkConditions(rule.when, '/when', (op, operand, pointer) => {
    if (op !== 'matches' || !isRec(operand) || typeof operand.regex !== 'string') return;
    try {
      new RegExp(operand.regex);
    } catch (e) {
      const reason = errorText(e).replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
      problems.push(problemAt(file, `${pointer}/regex`, `invalid regular expression '${operand.regex}': ${reason}`));
    }
  });
  const scope = scopeOf(rule);
  if (scope) {
    checkConditionPaths(rule.when, '/when', { ...scope, inSome: false }, (pointer, message) => problems.push(problemAt(file, pointer, message)));
    if (typeof rule.message === 'string') {
      for (const p of templateProblems(rule.message, { ...scope, inSome: false })) {
        const where = p.line !== undefined && rule.message.includes('\n') ? ` (line ${p.line} of the template)` : '';
        problems.push(problemAt(file, '/message', `${p.message}${where}`));
      }
    }
  }
  return problems;
}

/** `rules/x.yaml:3:5`: where a rule file sets its id. */
function idAt(file: DataFile): string {
  const where = file.locate('/id');
  return where ? `${file.file}:${where.line}:${where.column}` : file.file;
}

/** The types and relation paths are read under; undefined when the rule names no known type (the schema says so). */
function scopeOf(rule: Rec): Omit<PathScope, 'inSome'> | undefined {
  const named = Array.isArray(rule.resource) ? rule.resource : [rule.resource];
  const types = named.filter((t): t is ResourceType => typeof t === 'string' && Object.hasOwn(RESOURCE_TYPES, t));
  if (types.length === 0) return undefined;
  return { types, relation: typeof rule.relation === 'string' ? rule.relation : undefined };
}

/** The operand keys that hold paths, per operator. */
const PATH_KEYS: Record<string, readonly string[]> = {
  eq: ['path', 'ref'],
  ne: ['path', 'ref'],
  gt: ['path', 'ref'],
  lt: ['path', 'ref'],
  in: ['path', 'ref'],
  matches: ['path'],
  olderThanDays: ['path', 'daysRef'],
  after: ['path', 'ref'],
  some: ['path'],
  isDeclared: ['path'],
};

/** Checks every path a condition reads against what the rule's types have; `item` only inside some's where. */
function checkConditionPaths(cond: unknown, pointer: string, scope: PathScope, report: (pointer: string, message: string) => void): void {
  if (!isRec(cond)) return;
  for (const [op, operand] of Object.entries(cond)) {
    const at = `${pointer}/${op}`;
    const check = (path: unknown, where: string): void => {
      if (typeof path !== 'string') return;
      const problem = pathProblem(path.split('.'), scope);
      if (problem) report(where, problem);
    };
    if (op === 'exists') check(operand, at);
    else if (isRec(operand)) for (const key of PATH_KEYS[op] ?? []) check(operand[key], `${at}/${key}`);
    if ((op === 'all' || op === 'any') && Array.isArray(operand)) {
      operand.forEach((c, i) => checkConditionPaths(c, `${at}/${i}`, scope, report));
    } else if (op === 'not') {
      checkConditionPaths(operand, at, scope, report);
    } else if (op === 'some' && isRec(operand)) {
      checkConditionPaths(operand.where, `${at}/where`, { ...scope, inSome: true }, report);
    }
  }
}

/** Visits every operator of a condition tree, however malformed, with the JSON pointer of its operand. */
function walkConditions(
  cond: unknown,
  pointer: string,
  visit: (op: string, operand: unknown, pointer: string) => void,
): void {
  if (!isRec(cond)) return;
  for (const [op, operand] of Object.entries(cond)) {
    const at = `${pointer}/${op}`;
    visit(op, operand, at);
    if ((op === 'all' || op === 'any') && Array.isArray(operand)) {
      operand.forEach((c, i) => walkConditions(c, `${at}/${i}`, visit));
    } else if (op === 'not') {
      walkConditions(operand, at, visit);
    } else if (op === 'some' && isRec(operand)) {
      walkConditions(operand.where, `${at}/where`, visit);
    }
  }
}
