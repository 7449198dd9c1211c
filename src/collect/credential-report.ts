/**
 * The IAM credential report: one CSV row per user (plus `<root_account>` on
 * AWS) answering password, MFA, access-key and signing-certificate questions
 * without per-user calls. On AWS the root row also makes GetAccountSummary
 * unnecessary (see iam-root.ts); moto's report has no root row.
 */
import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam';
import { parse } from 'csv-parse/sync';

export const ROOT_ROW = '<root_account>';

/** One of the two access-key columns groups of a row. */
export interface KeySlot {
  active: boolean;
  lastRotated: string | null;
  lastUsedDate: string | null;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
}

/** One of the two signing-certificate column groups of a row. */
export interface CertSlot {
  active: boolean;
  lastRotated: string | null;
}

export interface ReportRow {
  user: string;
  arn: string;
  userCreationTime: string | null;
  /** `null` when the report says `not_supported` (the root row). */
  passwordEnabled: boolean | null;
  passwordLastUsed: string | null;
  passwordLastChanged: string | null;
  mfaActive: boolean;
  keys: [KeySlot, KeySlot];
  certs: [CertSlot, CertSlot];
}

export interface ParsedReport {
  root: ReportRow | null;
  users: Map<string, ReportRow>;
}

export interface CredentialReport extends ParsedReport {
  /** When AWS generated the report (ISO), as it says. */
  generatedTime: string | null;
  /** True when this run made AWS generate the report (it answered STARTED or INPROGRESS). */
  fresh: boolean;
}

/** Values the report uses for "nothing to say". */
const NONE = new Set(['', 'N/A', 'no_information', 'not_supported']);

function text(value: string | undefined): string | null {
  return value === undefined || NONE.has(value) ? null : value;
}

function date(value: string | undefined): string | null {
  const t = text(value);
  if (t === null) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function bool(value: string | undefined): boolean | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

function slot(r: Record<string, string>, n: 1 | 2): KeySlot {
  const p = `access_key_${n}_`;
  return {
    active: bool(r[`${p}active`]) === true,
    lastRotated: date(r[`${p}last_rotated`]),
    lastUsedDate: date(r[`${p}last_used_date`]),
    lastUsedRegion: text(r[`${p}last_used_region`]),
    lastUsedService: text(r[`${p}last_used_service`]),
  };
}

function certSlot(r: Record<string, string>, n: 1 | 2): CertSlot {
  const p = `cert_${n}_`;
  return { active: bool(r[`${p}active`]) === true, lastRotated: date(r[`${p}last_rotated`]) };
}

/** Parses the report's CSV. Pure; throws on text that is not a CSV with a `user` column. */
export function parseCredentialReport(csv: string): ParsedReport {
  const records = parse(csv, { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Record<string, string>[];
  const users = new Map<string, ReportRow>();
  let root: ReportRow | null = null;
  for (const r of records) {
    const user = r.user;
    if (user === undefined) throw new Error('credential report has no "user" column');
    const row: ReportRow = {
      user,
      arn: r.arn ?? '',
      userCreationTime: date(r.user_creation_time),
      passwordEnabled: bool(r.password_enabled),
      passwordLastUsed: date(r.password_last_used),
      passwordLastChanged: date(r.password_last_changed),
      mfaActive: bool(r.mfa_active) === true,
      keys: [slot(r, 1), slot(r, 2)],
      certs: [certSlot(r, 1), certSlot(r, 2)],
    };
    if (user === ROOT_ROW) root = row;
    else users.set(user, row);
  }
  return { root, users };
}

/**
 * Whether a row shows the user has (or had, in the report's view) an access key:
 * a slot that is active or has a `last_rotated` date (an inactive key still exists).
 */
export function rowShowsKey(row: ReportRow): boolean {
  return row.keys.some((k) => k.active || k.lastRotated !== null);
}

/** Whether a row shows a signing certificate, active or not (same rule as rowShowsKey). */
export function rowShowsCert(row: ReportRow): boolean {
  return row.certs.some((c) => c.active || c.lastRotated !== null);
}

/** A failed step of fetching the report, with the IAM operation it failed in. */
export class ReportError extends Error {
  constructor(
    readonly operation: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

export interface FetchReportOptions {
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
  /** Give up waiting for the report after this long. */
  timeoutMs?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function step<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as { name?: unknown; message?: unknown };
    const code = typeof e?.name === 'string' ? e.name : 'Error';
    throw new ReportError(operation, code, typeof e?.message === 'string' ? e.message : String(err));
  }
}

/**
 * GenerateCredentialReport, polled with capped exponential backoff until
 * COMPLETE, then GetCredentialReport and parse. Failures throw a ReportError.
 */
export async function fetchCredentialReport(iam: IAMClient, options: FetchReportOptions = {}): Promise<CredentialReport> {
  const { sleep = defaultSleep, clock = Date.now, timeoutMs = 60_000, firstDelayMs = 200, maxDelayMs = 2_000 } = options;
  const generate = () => step('iam:GenerateCredentialReport', () => iam.send(new GenerateCredentialReportCommand({})));
  const deadline = clock() + timeoutMs;
  let state = (await generate()).State;
  const fresh = state !== 'COMPLETE';
  let delay = firstDelayMs;
  while (state !== 'COMPLETE') {
    if (clock() + delay > deadline) {
      throw new ReportError('iam:GenerateCredentialReport', 'ReportTimeout', `credential report still ${state ?? 'unknown'} after ${timeoutMs / 1000}s`);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, maxDelayMs);
    state = (await generate()).State;
  }
  const got = await step('iam:GetCredentialReport', () => iam.send(new GetCredentialReportCommand({})));
  const csv = new TextDecoder().decode(got.Content ?? new Uint8Array());
  const parsed = await step('iam:GetCredentialReport', async () => parseCredentialReport(csv));
  return { ...parsed, generatedTime: got.GeneratedTime ? got.GeneratedTime.toISOString() : null, fresh };
}

export interface KeyToMatch {
  id: string;
  /** ISO. */
  createDate: string;
}

const second = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/**
 * Which report slot describes each key. A slot whose `last_rotated` equals the
 * key's CreateDate (to the second) is its own; keys left over take the left-over
 * slots that hold a key, in creation order, provided the key already existed when
 * the report was generated. A key the report cannot know maps to `null`.
 */
export function matchKeysToSlots(keys: KeyToMatch[], row: ReportRow | undefined, generatedTime: string | null): Map<string, KeySlot | null> {
  const result = new Map<string, KeySlot | null>();
  const sorted = [...keys].sort((a, b) => a.createDate.localeCompare(b.createDate) || a.id.localeCompare(b.id));
  const free: KeySlot[] = row ? [...row.keys] : [];
  const unmatched: KeyToMatch[] = [];
  for (const key of sorted) {
    const i = free.findIndex((s) => s.lastRotated !== null && second(s.lastRotated) === second(key.createDate));
    if (i >= 0) result.set(key.id, free.splice(i, 1)[0] ?? null);
    else unmatched.push(key);
  }
  const holding = free.filter((s) => s.active || s.lastRotated !== null);
  for (const key of unmatched) {
    const known = generatedTime === null || second(key.createDate) <= second(generatedTime);
    result.set(key.id, known ? (holding.shift() ?? null) : null);
  }
  return result;
}
