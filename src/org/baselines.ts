/**
 * An organization's baselines: one folder, one file per account named by its
 * id (`123456789012.yaml`, `.yml` or `.json`), and optional shared defaults
 * (`_defaults.yaml`, `.yml` or `.json`) merged under each account's file.
 *
 * The merge (the account's file over the defaults):
 * - mappings merge key by key, recursively;
 * - a scalar (string, number, boolean) of the account's file replaces the
 *   defaults' value, and so does any value whose kind differs from the
 *   defaults' (a list over a mapping, a scalar over a list);
 * - lists are the defaults' items, then the account's: in `iam.users`,
 *   `iam.roles`, `iam.groups` and `iam.policies` an account item with the name
 *   of a default item replaces that item where it stands (names are matched
 *   against the defaults' items only: a name the account's file repeats is
 *   its own duplicate, an error); in lists of scalars
 *   (`regions.allowed`, `incident.exposedKeys`, a user's `policies`) a value
 *   already there is not repeated; any other list (`exceptions`, selectors
 *   under `resources`, a user's `accessKeys`) is the concatenation.
 * - an exception of the defaults names the accounts it applies to
 *   (`accounts: [ids]`, required): an account gets only those that name it,
 *   and every exception records the file it came from (a suppressed
 *   violation's `suppressed.source`).
 * Every value of the defaults the account's file replaces with a different one
 * (a scalar such as `root.mfa`, a named IAM entry), and every value it adds to
 * a list under `regions`, is an override: a warning in that account's report
 * and the org report (its file, line and path, and the default's), or with
 * --strict-defaults an input error.
 * The defaults cannot name an account (`account`), and the account's file must
 * name its own id (`account.id` equal to the file's name). The merged baseline
 * is checked as any baseline is, and each problem is reported in the file and
 * at the path its value came from.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { InputError, type InputProblem } from '../errors.js';
import { checkBaseline, exceptionRuleProblems, type KnownRules, type LocatedBaseline } from '../load/baseline.js';
import { sortProblems } from '../load/schemas.js';
import { parsePointer, problemAt, readDataFile, toPointer, type DataFile, type Position } from '../load/yaml-file.js';
import type { Baseline } from '../model/baseline.js';
import type { SourceLines } from '../model/source-lines.js';

const ACCOUNT_FILE = /^(\d{12})\.(ya?ml|json)$/i;
const DEFAULTS_FILE = /^_defaults\.(ya?ml|json)$/i;
const DATA_FILE = /\.(ya?ml|json)$/i;

/** Lists whose items are keyed by `name`: an account's item replaces the default item of its name. */
const NAMED_LISTS = new Set(['/iam/users', '/iam/roles', '/iam/groups', '/iam/policies']);

export interface BaselineFolder {
  dir: string;
  defaults?: string;
  /** Account id -> its file. */
  accounts: Map<string, string>;
}

/** Where a merged value came from. */
interface Origin {
  file: DataFile;
  pointer: string;
}

type Rec = Record<string, unknown>;
const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const isScalar = (x: unknown) => x === null || (typeof x !== 'object' && typeof x !== 'function');

/** Records the origin of every value under `value` (the value itself included). */
function recordAll(value: unknown, at: string, origin: Origin, origins: Map<string, Origin>): void {
  origins.set(at, origin);
  if (Array.isArray(value)) value.forEach((v, i) => recordAll(v, `${at}/${i}`, { file: origin.file, pointer: `${origin.pointer}/${i}` }, origins));
  else if (isRec(value)) {
    for (const [k, v] of Object.entries(value)) {
      const seg = toPointer([k]);
      recordAll(v, `${at}${seg}`, { file: origin.file, pointer: `${origin.pointer}${seg}` }, origins);
    }
  }
}

interface Side {
  value: unknown;
  origin: Origin;
}

const child = (s: Side, segment: string | number, value: unknown): Side => ({ value, origin: { file: s.origin.file, pointer: `${s.origin.pointer}${toPointer([segment])}` } });

/** A value of the defaults that an account's file replaces, or a list of the defaults under /regions it extends. */
export interface DefaultOverride {
  /** The account's file, and where in it. */
  file: string;
  line?: number;
  path: string;
  /** The defaults' file, and the value overridden there. */
  defaultsFile: string;
  defaultsPath: string;
  message: string;
}

/** Lists of scalars that widen what is allowed when extended (an account's file adding a region is an override). */
const WIDENING_LISTS = /^\/regions(\/|$)/;

const shown = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

function override(over: Origin, under: Origin, message: string): DefaultOverride {
  const at = over.file.locate(over.pointer);
  return { file: over.file.file, ...(at?.line !== undefined ? { line: at.line } : {}), path: over.pointer, defaultsFile: under.file.file, defaultsPath: under.pointer, message };
}

function mergeValues(under: Side, over: Side, at: string, origins: Map<string, Origin>, overrides: DefaultOverride[] = []): unknown {
  if (isRec(under.value) && isRec(over.value)) {
    origins.set(at, over.origin);
    const out: Rec = {};
    const keys = [...Object.keys(under.value), ...Object.keys(over.value).filter((k) => !Object.hasOwn(under.value as Rec, k))];
    for (const k of keys) {
      const here = `${at}${toPointer([k])}`;
      const u = Object.hasOwn(under.value, k) ? child(under, k, under.value[k]) : undefined;
      const o = Object.hasOwn(over.value, k) ? child(over, k, over.value[k]) : undefined;
      if (u && o) out[k] = mergeValues(u, o, here, origins, overrides);
      else {
        const only = (o ?? u)!;
        out[k] = only.value;
        recordAll(only.value, here, only.origin, origins);
      }
    }
    return out;
  }
  if (Array.isArray(under.value) && Array.isArray(over.value)) {
    origins.set(at, over.origin);
    const items: Side[] = under.value.map((v, i) => child(under, i, v));
    const named = NAMED_LISTS.has(at);
    // Only the defaults' items can be replaced by name, each once: a name the account's file repeats is its own duplicate (the check reports it).
    const replaced = new Set<number>();
    const defaultCount = under.value.length;
    over.value.forEach((v, i) => {
      const item = child(over, i, v);
      if (named && isRec(v) && typeof v.name === 'string') {
        const same = items.findIndex((x, n) => n < defaultCount && !replaced.has(n) && isRec(x.value) && x.value.name === v.name);
        if (same >= 0) {
          if (!isDeepStrictEqual(items[same]!.value, v)) {
            overrides.push(override(item.origin, items[same]!.origin, `replaces the defaults' ${at.split('/').pop()!.replace(/s$/, '')} '${v.name}' (${shown(items[same]!.value)}) with ${shown(v)}`));
          }
          items[same] = item;
          replaced.add(same);
          return;
        }
      }
      if (isScalar(v) && items.some((x) => isScalar(x.value) && x.value === v)) return;
      if (isScalar(v) && WIDENING_LISTS.test(at)) overrides.push(override(item.origin, under.origin, `adds ${shown(v)} to the defaults' ${shown(under.value)}`));
      items.push(item);
    });
    return items.map((item, i) => {
      recordAll(item.value, `${at}/${i}`, item.origin, origins);
      return item.value;
    });
  }
  if (!isDeepStrictEqual(under.value, over.value)) overrides.push(override(over.origin, under.origin, `overrides the defaults' ${shown(under.value)} with ${shown(over.value)}`));
  recordAll(over.value, at, over.origin, origins);
  return over.value;
}

/** The origin of a merged pointer: its own, or its nearest recorded ancestor's with the rest appended. */
function originOf(pointer: string, origins: Map<string, Origin>, fallback: DataFile): Origin {
  const segments = parsePointer(pointer);
  for (let n = segments.length; n >= 0; n--) {
    const found = origins.get(toPointer(segments.slice(0, n)));
    if (found) return { file: found.file, pointer: `${found.pointer}${toPointer(segments.slice(n))}` };
  }
  return { file: fallback, pointer };
}

/** The merged data as a DataFile: each pointer is located in the file its value came from. */
function mergedDataFile(data: unknown, origins: Map<string, Origin>, account: DataFile): DataFile {
  const locate = (pointer: string, opts?: { key?: boolean }): Position | undefined => {
    const o = originOf(pointer, origins, account);
    return o.file.locate(o.pointer, opts);
  };
  return { file: account.file, data, locate, locateAll: (targets) => targets.map((t) => locate(t.pointer, t)) };
}

/** A problem found in the merged baseline, moved to the file and path its value came from. */
function relocate(p: InputProblem, origins: Map<string, Origin>, account: DataFile): InputProblem {
  if (p.path === undefined) return p;
  const o = originOf(p.path, origins, account);
  return { ...p, file: o.file.file, path: o.pointer };
}

/** Reads the folder's names: every account file and the defaults; anything else that looks like a baseline is an error. */
export function readBaselineFolder(dir: string): BaselineFolder {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    names = readdirSync(dir).sort();
  } catch (e) {
    throw InputError.at({ file: dir }, `cannot read the baselines folder (org mode: -b names a folder of ACCOUNT_ID.yaml files): ${e instanceof Error ? e.message : String(e)}`);
  }
  const problems: InputProblem[] = [];
  const accounts = new Map<string, string>();
  let defaults: string | undefined;
  for (const name of names) {
    const file = path.join(dir, name);
    if (name.startsWith('.') || !DATA_FILE.test(name)) continue;
    const account = ACCOUNT_FILE.exec(name)?.[1];
    if (account) {
      const other = accounts.get(account);
      if (other) problems.push({ file, message: `a second baseline for account ${account} (the first is ${other}): keep one` });
      else accounts.set(account, file);
    } else if (DEFAULTS_FILE.test(name)) {
      if (defaults) problems.push({ file, message: `a second defaults file (the first is ${defaults}): keep one` });
      else defaults = file;
    } else {
      problems.push({ file, message: 'not a baseline of the folder: name each account\'s file by its 12-digit id (123456789012.yaml), and the shared defaults _defaults.yaml' });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { dir, ...(defaults ? { defaults } : {}), accounts };
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * What the defaults cannot hold: they are for every account. An exception in
 * the defaults must name the accounts it applies to (`accounts: [ids]`): one
 * that suppressed in every account could not be narrowed.
 */
function defaultsProblems(defaults: DataFile): InputProblem[] {
  if (!isRec(defaults.data)) return defaults.data === null || defaults.data === undefined ? [] : [problemAt(defaults, '', 'the defaults must be a mapping of baseline sections')];
  const problems = Object.hasOwn(defaults.data, 'account') ? [problemAt(defaults, '/account', 'the defaults are merged under every account: name each account in its own file, not here', { key: true })] : [];
  const exceptions = defaults.data.exceptions;
  if (Array.isArray(exceptions)) {
    exceptions.forEach((e, i) => {
      if (!isRec(e)) return;
      const at = `/exceptions/${i}`;
      if (!Object.hasOwn(e, 'accounts')) {
        problems.push(problemAt(defaults, at, 'an exception in the defaults must name the accounts it applies to (accounts: ["123456789012", ...]): the defaults are merged under every account'));
        return;
      }
      const ids = e.accounts;
      if (!Array.isArray(ids) || ids.length === 0) {
        problems.push(problemAt(defaults, `${at}/accounts`, 'must be a list of one or more 12-digit account ids'));
        return;
      }
      ids.forEach((id, n) => {
        if (typeof id !== 'string' || !ACCOUNT_ID.test(id)) problems.push(problemAt(defaults, `${at}/accounts/${n}`, `not an account id: ${JSON.stringify(id)} (12 digits, quoted)`));
      });
    });
  }
  return problems;
}

/**
 * The merged exceptions an account keeps: its own, and those of the defaults
 * that name it (without their `accounts`), each with the file it came from.
 * The origins of the exceptions kept are moved to their new places.
 */
function accountExceptions(data: unknown, accountId: string, defaults: DataFile, origins: Map<string, Origin>, fallback: DataFile): { data: unknown; sources: string[] } {
  if (!isRec(data) || !Array.isArray(data.exceptions)) return { data, sources: [] };
  const kept: unknown[] = [];
  const sources: string[] = [];
  const moved = new Map<string, Origin>();
  data.exceptions.forEach((e, i) => {
    const origin = originOf(`/exceptions/${i}`, origins, fallback);
    let value = e;
    if (origin.file === defaults && isRec(e)) {
      if (!Array.isArray(e.accounts) || !e.accounts.includes(accountId)) return;
      const { accounts: _, ...rest } = e;
      value = rest;
    }
    const from = `/exceptions/${i}`;
    const to = `/exceptions/${kept.length}`;
    for (const [k, o] of origins) {
      if (k === from || k.startsWith(`${from}/`)) {
        if (k.startsWith(`${from}/accounts`) && origin.file === defaults) continue;
        moved.set(`${to}${k.slice(from.length)}`, o);
      }
    }
    kept.push(value);
    sources.push(origin.file.file);
  });
  for (const k of [...origins.keys()]) if (k.startsWith('/exceptions/')) origins.delete(k);
  for (const [k, o] of moved) origins.set(k, o);
  return { data: { ...data, exceptions: kept }, sources };
}

/** The account's file names its own id. */
function accountIdProblems(file: DataFile, accountId: string): InputProblem[] {
  const account = isRec(file.data) && isRec(file.data.account) ? file.data.account : undefined;
  const id = account?.id;
  if (typeof id !== 'string' || id === accountId) return [];
  return [problemAt(file, '/account/id', `this file is the baseline of account ${accountId} (its name), but names account ${id}: one account's file cannot declare another`)];
}

/** A parsed defaults file, read once for every account. */
export interface Defaults {
  file: DataFile;
}

export function readDefaults(folder: BaselineFolder): Defaults | undefined {
  if (!folder.defaults) return undefined;
  const file = readDataFile(folder.defaults);
  const problems = defaultsProblems(file);
  if (problems.length > 0) throw new InputError(problems);
  return { file };
}

/**
 * One account's baseline: its file over the defaults, checked whole (with the
 * rules in use, when given); every problem in the file it came from.
 */
export interface AccountBaseline extends LocatedBaseline {
  /** The defaults' values its file overrides: a warning, or with --strict-defaults an error. */
  overrides: DefaultOverride[];
}

export interface FolderOptions {
  /** --strict-defaults: an account's file that overrides a value of the defaults is an input error. */
  strictDefaults?: boolean;
}

const overrideProblem = (o: DefaultOverride): InputProblem => ({
  file: o.file,
  ...(o.line !== undefined ? { line: o.line } : {}),
  path: o.path,
  message: `${o.message} (${o.defaultsFile} ${o.defaultsPath || '/'}): --strict-defaults forbids weakening the defaults; change _defaults.yaml, or drop --strict-defaults`,
});

/** How an override reads as a warning, in the account's report and the run's log. */
export function overrideWarning(o: DefaultOverride): string {
  return `${o.file}${o.line !== undefined ? `:${o.line}` : ''} ${o.path}: ${o.message} (${o.defaultsFile} ${o.defaultsPath || '/'})`;
}

export function accountBaseline(folder: BaselineFolder, accountId: string, defaults: Defaults | undefined, rules?: KnownRules, options: FolderOptions = {}): AccountBaseline {
  const file = folder.accounts.get(accountId);
  if (!file) throw new Error(`no baseline for account ${accountId}`);
  const account = readDataFile(file);
  const idProblems = accountIdProblems(account, accountId);
  if (idProblems.length > 0) throw new InputError(idProblems);
  const origins = new Map<string, Origin>();
  const overrides: DefaultOverride[] = [];
  let data = defaults && isRec(defaults.file.data) && defaults.file.data !== null
    ? mergeValues({ value: defaults.file.data, origin: { file: defaults.file, pointer: '' } }, { value: account.data, origin: { file: account, pointer: '' } }, '', origins, overrides)
    : account.data;
  if (!defaults) recordAll(account.data, '', { file: account, pointer: '' }, origins);
  // The defaults' exceptions apply to the accounts they name only; each exception keeps the file it came from.
  const narrowed = defaults ? accountExceptions(data, accountId, defaults.file, origins, account) : { data, sources: isRec(data) && Array.isArray(data.exceptions) ? data.exceptions.map(() => file) : [] };
  data = narrowed.data;
  const merged = mergedDataFile(data, origins, account);
  const problems = [...checkBaseline(merged), ...(rules ? exceptionRuleProblems(merged, rules) : [])].map((p) => relocate(p, origins, account));
  if (options.strictDefaults) problems.push(...overrides.map(overrideProblem));
  if (problems.length > 0) throw new InputError(dedupe(problems));
  const baseline = data as Baseline;
  if (baseline.exceptions) baseline.exceptions = baseline.exceptions.map((e, i) => ({ ...e, source: narrowed.sources[i]! }));
  return { baseline, lines: linesOf(account, origins), overrides };
}

/**
 * Where each entry is, for the entries the account's own file declares (a
 * report that points into a baseline points into that file): worked out when
 * first read (SARIF reads it; an org run, which writes JSON and Markdown,
 * never does, so no account file is parsed a second time for its positions).
 */
function linesOf(account: DataFile, origins: Map<string, Origin>): SourceLines {
  let lines: Map<string, number> | undefined;
  const work = (): Map<string, number> => {
    const own = account.lines?.() ?? new Map<string, number>();
    const out = new Map<string, number>();
    for (const [merged, origin] of origins) {
      if (origin.file !== account) continue;
      const line = own.get(origin.pointer);
      if (line !== undefined) out.set(merged, line);
    }
    return out;
  };
  return {
    file: account.file,
    get lines() {
      return (lines ??= work());
    },
  };
}

function dedupe(problems: InputProblem[]): InputProblem[] {
  const seen = new Set<string>();
  const out: InputProblem[] = [];
  for (const p of problems) {
    const key = `${p.file}\u0000${p.line ?? ''}\u0000${p.column ?? ''}\u0000${p.path ?? ''}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/**
 * Every account's baseline checked before any AWS call: bad input fails fast
 * and nothing is written. Problems of the defaults are reported once.
 */
export function checkBaselineFolder(folder: BaselineFolder, rules?: KnownRules, options: FolderOptions = {}): Defaults | undefined {
  const defaults = readDefaults(folder);
  const problems: InputProblem[] = [];
  for (const id of folder.accounts.keys()) {
    try {
      accountBaseline(folder, id, defaults, rules, options);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new InputError(groupByFile(dedupe(problems)));
  return defaults;
}

/** The defaults' problems first, then each account's file in order, each file's in document order. */
function groupByFile(problems: InputProblem[]): InputProblem[] {
  const files = [...new Set(problems.map((p) => p.file))].sort((a, b) => Number(DEFAULTS_FILE.test(path.basename(b))) - Number(DEFAULTS_FILE.test(path.basename(a))) || a.localeCompare(b));
  return files.flatMap((f) => sortProblems(problems.filter((p) => p.file === f)));
}
