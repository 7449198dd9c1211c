import type { InputProblem } from '../errors.js';
import { SELECTABLE_TYPES, type Baseline } from '../model/baseline.js';
import { suggest } from './ajv-messages.js';
import { unknownRegion } from './aws-regions.js';
import { schemaProblems, sortProblems } from './schemas.js';
import { lazySourceLines } from './source-lines.js';
import type { SourceLines } from '../model/source-lines.js';
import { loadChecked, problemAt, type DataFile } from './yaml-file.js';

/**
 * Reads, schema-checks and sanity-checks a baseline; with the ids of the rules
 * in use, also that every exception names one of them. Every problem is
 * reported at once, as one InputError.
 */
export function loadBaseline(file: string, rules?: KnownRules): Baseline {
  return loadChecked<Baseline>(file, (data) => baselineProblems(data, rules));
}

/** A baseline and the line of each of its entries, for reports that point into it (SARIF). */
export interface LocatedBaseline {
  baseline: Baseline;
  lines: SourceLines;
}

/**
 * `loadBaseline`, keeping where each entry is (read once: the lines are those
 * of the text checked), worked out the first time they are read: only some
 * reports (SARIF) point into the baseline, and locating costs a full parse.
 */
export function loadLocatedBaseline(file: string, rules?: KnownRules): LocatedBaseline {
  let checked: DataFile | undefined;
  const baseline = loadChecked<Baseline>(file, (data) => {
    checked = data;
    return baselineProblems(data, rules);
  });
  return { baseline, lines: lazySourceLines(checked!) };
}

function baselineProblems(data: DataFile, rules: KnownRules | undefined): InputProblem[] {
  const problems = checkBaseline(data);
  return rules ? sortProblems([...problems, ...exceptionRuleProblems(data, rules)]) : problems;
}

/** The rule ids exceptions may name, and where they come from (for the message). */
export interface KnownRules {
  ids: ReadonlySet<string>;
  /** e.g. "the built-in rules and those in ./my-rules". */
  from: string;
}

/** Exceptions naming a rule no loaded rule has: they would suppress nothing, silently. */
export function exceptionRuleProblems(file: DataFile, rules: KnownRules): InputProblem[] {
  const root = file.data;
  if (!isRec(root)) return [];
  const known = [...rules.ids];
  const problems: InputProblem[] = [];
  list(root.exceptions).forEach((ex, i) => {
    const rule = isRec(ex) ? ex.rule : undefined;
    if (typeof rule !== 'string' || !RULE_ID.test(rule) || rules.ids.has(rule)) return;
    const guess = suggest(rule, known);
    problems.push(
      problemAt(file, `/exceptions/${i}/rule`, `unknown rule '${rule}': not among ${rules.from}${guess ? `; did you mean '${guess}'?` : ''}`),
    );
  });
  return problems;
}

const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Schema problems plus what a schema cannot say: duplicates, impossible dates, an inverted window. */
export function checkBaseline(file: DataFile): InputProblem[] {
  const problems = schemaProblems('baseline', file);
  const taken = new Set(problems.map((p) => p.path));
  const extra = semanticProblems(file).filter((p) => !taken.has(p.path));
  return sortProblems([...problems, ...extra]);
}

type Rec = Record<string, unknown>;

function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

function semanticProblems(file: DataFile): InputProblem[] {
  const root = file.data;
  if (!isRec(root)) return [];
  const problems: InputProblem[] = [];
  const iam = isRec(root.iam) ? root.iam : {};
  for (const [kind, noun] of [
    ['users', 'user'],
    ['roles', 'role'],
    ['groups', 'group'],
    ['policies', 'policy'],
  ] as const) {
    problems.push(...duplicateNames(file, iam[kind], `/iam/${kind}`, noun));
  }
  problems.push(...duplicateKeys(file, iam.users));
  problems.push(...regionProblems(file, root));
  list(root.exceptions).forEach((ex, i) => {
    const expires = isRec(ex) ? ex.expires : undefined;
    if (typeof expires === 'string' && ISO.test(expires) && !isRealDate(expires)) {
      problems.push(problemAt(file, `/exceptions/${i}/expires`, `'${expires}' is not a valid date`));
    }
  });
  if (isRec(root.incident)) {
    const { since, until } = root.incident;
    if (typeof since === 'string' && typeof until === 'string') {
      const s = Date.parse(since);
      const u = Date.parse(until);
      if (!Number.isNaN(s) && !Number.isNaN(u) && u < s) {
        problems.push(problemAt(file, '/incident/until', `until (${until}) is before since (${since})`));
      }
    }
  }
  return problems;
}

/** A region name of the right shape that no AWS partition has (`us-esat-1`). `*` (any region) is not a name. */
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;

function regionProblems(file: DataFile, root: Rec): InputProblem[] {
  const named: [string, unknown][] = [];
  if (isRec(root.regions)) list(root.regions.allowed).forEach((r, i) => named.push([`/regions/allowed/${i}`, r]));
  if (isRec(root.resources)) {
    for (const type of SELECTABLE_TYPES) {
      list(root.resources[type]).forEach((s, i) => {
        if (isRec(s)) named.push([`/resources/${type}/${i}/region`, s.region]);
      });
    }
  }
  const problems: InputProblem[] = [];
  for (const [pointer, region] of named) {
    if (typeof region !== 'string' || !REGION_SHAPE.test(region)) continue; // the schema says what is wrong
    const problem = unknownRegion(region);
    if (problem) problems.push(problemAt(file, pointer, problem));
  }
  return problems;
}

function duplicateNames(file: DataFile, entries: unknown, base: string, noun: string): InputProblem[] {
  const first = new Map<string, number>();
  const problems: InputProblem[] = [];
  list(entries).forEach((entry, i) => {
    const name = isRec(entry) ? entry.name : undefined;
    if (typeof name !== 'string') return;
    const seen = first.get(name);
    if (seen === undefined) {
      first.set(name, i);
      return;
    }
    const line = file.locate(`${base}/${seen}/name`)?.line;
    problems.push(
      problemAt(file, `${base}/${i}/name`, `duplicate ${noun} name '${name}' (first declared${at(line)})`),
    );
  });
  return problems;
}

function duplicateKeys(file: DataFile, users: unknown): InputProblem[] {
  const first = new Map<string, { user: string; pointer: string }>();
  const problems: InputProblem[] = [];
  list(users).forEach((user, i) => {
    if (!isRec(user)) return;
    const userName = typeof user.name === 'string' ? user.name : `#${i + 1}`;
    list(user.accessKeys).forEach((key, j) => {
      const id = isRec(key) ? key.id : undefined;
      if (typeof id !== 'string') return;
      const pointer = `/iam/users/${i}/accessKeys/${j}/id`;
      const seen = first.get(id);
      if (seen === undefined) {
        first.set(id, { user: userName, pointer });
        return;
      }
      const line = file.locate(seen.pointer)?.line;
      problems.push(
        problemAt(file, pointer, `duplicate access key id '${id}' (already declared for user '${seen.user}'${at(line)})`),
      );
    });
  });
  return problems;
}

function at(line: number | undefined): string {
  return line === undefined ? '' : ` at line ${line}`;
}

/** The shape the schema's `expires` pattern admits. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/** A calendar date that exists (no February 30th) and a time within the day. */
export function isRealDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const [y, mo, d, h = '0', mi = '0', sec = '0', oh = '0', om = '0'] = m.slice(1).map((v) => v ?? '0');
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const sameDay =
    date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d);
  return sameDay && Number(h) < 24 && Number(mi) < 60 && Number(sec) < 60 && Number(oh) < 24 && Number(om) < 60;
}
