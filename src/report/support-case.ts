/**
 * The confirmation AWS asks for after a compromise notice ("respond to the
 * Support case to confirm completion of steps 1-3"): each of its steps with
 * what was done, when, and the evidence, from a plan and the journal of its
 * application, and, as plainly, what is not done. Pure: plan and journals
 * in, plain text out (the Support Center takes plain text). Nothing is
 * claimed done that the journal does not record as done.
 *
 * Every value from the plan or a journal (names from AWS among them) is
 * written on one line, control characters shown as visible text, access key
 * ids shortened (AWS asks for none in full), secret-shaped strings masked.
 */
import type { JournalContent, JournalEntry } from '../apply/journal.js';
import { ACTIONS } from '../actions/registry.js';
import type { ProvenanceDocument, TimelineDocument } from '../load/timeline.js';
import type { Plan, PlanStep } from '../model/plan.js';
import { oneLine } from '../plan/instructions.js';
import { redact } from '../redact.js';
import { terminalText } from './escape.js';
import { CATEGORIES } from '../timeline/catalogue.js';
import { shortenKeyIds } from './key-id.js';
import { AWS_STEPS, awsStepOf, awsStepOfWarning, type AwsStepNumber } from './support-steps.js';

/** Why apply would not run a step whatever happened (decided before the run: see apply's guards), by step id. */
export interface NotRun {
  status: 'refused' | 'skipped';
  why: string;
}

export interface SupportCaseInput {
  plan: Plan;
  /** The apply journal of the plan (its header names the plan's digest and account). */
  journal: JournalContent;
  /** The undo journal of that apply journal, if undo ran. */
  undo?: JournalContent;
  /** Steps apply's guards keep from running (destructive in an incomplete plan, acting on the caller), by id. */
  notRun?: ReadonlyMap<string, NotRun>;
  /** The CloudTrail timeline of the incident window (`rollcall timeline --format json`), as evidence for steps 2 and 3. */
  timeline?: TimelineDocument;
}

/** Events, gaps listed one by one before the rest are counted. */
const MAX_LISTED = 10;

/** What the journals say of one plan step. */
export type StepState =
  | { kind: 'done'; at: string; how: Exclude<JournalEntry['result'], 'undone'>; entry: JournalEntry }
  | { kind: 'undone'; at: string; doneAt?: string }
  | { kind: 'undo-interrupted' }
  | { kind: 'interrupted' }
  | { kind: 'manual-pending' }
  | { kind: 'not-run'; status: NotRun['status']; why: string }
  | { kind: 'waiting'; on: PlanStep[] }
  | { kind: 'not-recorded' };

/** A value from the plan or a journal, made safe for the message: one line, no control character, no full key id, no secret. */
export function plain(value: string): string {
  return redact(shortenKeyIds(terminalText(oneLine(value))));
}

/** `2026-05-01T10:00:03.123Z` -> `2026-05-01T10:00:03Z`: to the second is enough for people. */
function time(iso: string): string {
  return plain(iso.replace(/\.\d+Z$/, 'Z'));
}

const lastById = (entries: JournalEntry[]): Map<string, JournalEntry> => new Map(entries.map((e) => [e.id, e]));

/** Each plan step's state, from the journals alone (and the guards' verdicts given in `notRun`). */
export function stepStates(input: SupportCaseInput): Map<string, StepState> {
  const { plan, journal, undo, notRun } = input;
  const applied = lastById(journal.entries);
  const reversed = lastById((undo?.entries ?? []).filter((e) => e.result === 'undone'));
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const states = new Map<string, StepState>();

  const own = (step: PlanStep): StepState | undefined => {
    const back = reversed.get(step.id);
    const entry = applied.get(step.id);
    if (back) return { kind: 'undone', at: back.at, ...(entry ? { doneAt: entry.at } : {}) };
    if (entry && undo?.pending.has(step.id)) return { kind: 'undo-interrupted' };
    // An apply journal holds no `undone` line (undo keeps its own journal); one that does claims no completion.
    if (entry?.result === 'undone') return { kind: 'undone', at: entry.at };
    if (entry) return { kind: 'done', at: entry.at, how: entry.result, entry };
    if (journal.pending.has(step.id)) return { kind: 'interrupted' };
    if (ACTIONS[step.action].manual) return { kind: 'manual-pending' };
    const guard = notRun?.get(step.id);
    if (guard) return { kind: 'not-run', ...guard };
    return undefined;
  };
  const stateOf = (step: PlanStep, seen: Set<string>): StepState => {
    const known = states.get(step.id);
    if (known) return known;
    let state = own(step);
    if (!state) {
      seen.add(step.id);
      const deps = step.dependsOn.map((d) => byId.get(d)).filter((d): d is PlanStep => d !== undefined && !seen.has(d.id));
      const unmet = deps.filter((d) => stateOf(d, seen).kind !== 'done');
      state = unmet.length > 0 ? { kind: 'waiting', on: unmet } : { kind: 'not-recorded' };
    }
    states.set(step.id, state);
    return state;
  };
  for (const step of plan.steps) stateOf(step, new Set());
  return states;
}

const HOW: Record<Exclude<JournalEntry['result'], 'undone'>, string> = {
  done: 'done by rollcall apply',
  already: 'checked by rollcall apply: already so, nothing to change',
  manual: 'done by hand, recorded as done',
};

/** Where a step acted: its ARN, or its subject, with the region for a regional target. */
function where(step: PlanStep): string {
  const at = step.target.arn ?? step.target.subject;
  return step.target.region === 'global' || at.includes(`:${step.target.region}:`) ? plain(at) : `${plain(at)} in ${plain(step.target.region)}`;
}

/** What a done step leaves as evidence beyond its target: the replacement key's id (shortened: its secret is never recorded). */
function extra(step: PlanStep, entry: JournalEntry): string {
  const key = entry.undo?.accessKeyId;
  return step.action === 'createReplacementKey' && typeof key === 'string' ? `; new access key ${plain(key)}` : '';
}

/**
 * A step's one line. The AWS Support step's own says "with the text below",
 * which means the plan's text to send: here it reads as what was sent.
 */
const describe = (s: PlanStep) => (s.action === 'manualContactSupport' ? 'Report the compromise to AWS Support, with the findings of the audit' : plain(s.description));

function notDoneWhy(step: PlanStep, state: StepState): string[] {
  switch (state.kind) {
    case 'undone':
      return [`${state.doneAt ? `done ${time(state.doneAt)}, then ` : ''}reversed by rollcall undo ${time(state.at)}: no longer in effect`];
    case 'undo-interrupted':
      return ['rollcall undo was interrupted while reversing it: whether it is still in effect is not known until undo runs again'];
    case 'interrupted':
      return ['rollcall apply began this step but recorded no outcome (it failed, or the run was stopped): whether it changed the account is not known until apply runs again'];
    case 'manual-pending':
      return [
        'to be done by hand; not yet recorded as done',
        ...(step.reasons ?? []).map((r) => `to settle: ${plain(r.text)}`),
      ];
    case 'not-run':
      return [`${state.status} by rollcall apply: ${plain(state.why)}`];
    case 'waiting':
      return [`waits for: ${state.on.map(describe).join('; ')} (not done yet)`];
    case 'not-recorded':
      return ['no outcome recorded: apply has not run it, or skipped, refused or failed it (its output said which)'];
    case 'done':
      return [];
  }
}

interface Part {
  done: string[];
  notDone: string[];
  notes: string[];
  /** Steps of the plan in this part, and how many are not done. */
  planned: number;
  open: number;
}

function item(head: string, lines: string[]): string[] {
  return [`  - ${head}`, ...lines.map((l) => `    ${l}`)];
}

function parts(input: SupportCaseInput, states: Map<string, StepState>): Map<AwsStepNumber, Part> {
  const out = new Map<AwsStepNumber, Part>(AWS_STEPS.map((s) => [s.n, { done: [], notDone: [], notes: [], planned: 0, open: 0 }]));
  for (const step of input.plan.steps) {
    const part = out.get(awsStepOf(step))!;
    const state = states.get(step.id)!;
    part.planned++;
    if (state.kind === 'done') {
      part.done.push(...item(describe(step), [`${time(state.at)}: ${HOW[state.how]} (${where(step)}${extra(step, state.entry)})`]));
    } else {
      part.open++;
      part.notDone.push(...item(describe(step), notDoneWhy(step, state)));
    }
  }
  for (const w of input.plan.warnings ?? []) out.get(awsStepOfWarning(w.code))!.notes.push(...item(plain(w.text), []));
  return out;
}

function heading(input: SupportCaseInput): string[] {
  const { plan, journal, undo } = input;
  const h = journal.header;
  const times = [...journal.entries, ...(undo?.entries ?? [])].map((e) => e.at).sort();
  const latest = times.at(-1);
  return [
    `Subject: Re: Possible compromise of AWS account ${plain(plan.accountId)}: the steps we have taken`,
    '',
    'Hello,',
    '',
    `This answers your notice about AWS account ${plain(plan.accountId)}, step by step: what we did, when, and the evidence. ` +
      `It is written from the records of our remediation tool (rollcall ${plain(plan.tool.version)}): the remediation plan made at ${time(plan.createdAt)} ` +
      `(digest ${plain(plan.digest.slice(0, 12))}) from an audit of the account, and the journal of its application, first run at ${time(h.started)} as ${plain(h.caller)}` +
      `${latest ? `, last entry at ${time(latest)}` : ', with no step recorded yet'}${undo ? `, and the journal of its undo, first run at ${time(undo.header.started)}` : ''}` +
      `${input.timeline ? `; and the account's CloudTrail timeline from ${time(input.timeline.window.since)} to ${time(input.timeline.window.until)}` : ''}. ` +
      'Times are UTC. Access key ids are shortened to their first and last four characters; this message holds no secret.',
    ...(journal.torn || undo?.torn ? ['', 'A journal ends in a line torn by a crash: that line is not counted here.'] : []),
  ];
}

/** The status line: complete only when every step for AWS's steps 1 to 3 is done and the plan left nothing out. */
function status(ps: Map<AwsStepNumber, Part>): { complete: boolean; line: string } {
  const first3 = [1, 2, 3].map((n) => ps.get(n as AwsStepNumber)!);
  const planned = first3.reduce((a, p) => a + p.planned, 0);
  const open = first3.reduce((a, p) => a + p.open, 0);
  const notes = first3.reduce((a, p) => a + p.notes.length, 0);
  if (open === 0 && notes === 0) {
    return { complete: true, line: `Status: steps 1 to 3 are done: all ${planned} planned actions for them are recorded as done, and the plan left nothing out.` };
  }
  const why = [
    ...(open > 0 ? [`${open} of the ${planned} planned actions for them are not done`] : [`all ${planned} planned actions for them are recorded as done`]),
    ...(notes > 0 ? ['the plan notes what it left out or could not check'] : []),
  ];
  return { complete: false, line: `Status: steps 1 to 3 are NOT complete yet: ${why.join(', and ')}. Each is listed below.` };
}

function auditEvidence(plan: Plan): string[] {
  return item(
    `The audit behind the plan (${time(plan.createdAt)}) compared every resource it collected, IAM and regional, with the baseline we declared for this account (inventory sha256 ${plain(plan.inventoryDigest.slice(0, 12))}…).`,
    [
      plan.complete
        ? 'Its inventory was complete: every service and region it covered could be read.'
        : 'Its inventory was NOT complete: some services or regions could not be read, so some checks are unknown, and apply runs no deletion from this plan.',
    ],
  );
}

function supportEvidence(plan: Plan): string[] {
  const c = plan.steps.find((s) => s.support)?.support;
  if (!c) return [];
  return item(`Our first message reported the ${c.findings.length} finding(s) of the audit made at ${time(c.auditedAt)}.`, []);
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function sourceOf(t: TimelineDocument): string {
  return t.source.kind === 'lookup' ? "CloudTrail's event history (LookupEvents)" : `the trail's log files in s3://${plain(t.source.bucket)}/${plain(t.source.prefix)}`;
}

type TimelineEventOf = TimelineDocument['actors'][number]['events'][number] & { by: string };

function eventsOf(t: TimelineDocument, category: string): TimelineEventOf[] {
  return t.actors
    .flatMap((a) => a.events.filter((e) => e.category === category).map((e) => ({ ...e, by: a.key })))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

function listed(events: TimelineEventOf[]): string[] {
  const lines = events.slice(0, MAX_LISTED).map((e) => `${time(e.time)} ${plain(e.name)} in ${plain(e.region)} by ${plain(e.by)}${e.errorCode ? ` (refused: ${plain(e.errorCode)})` : ''}`);
  if (events.length > MAX_LISTED) lines.push(`... and ${events.length - MAX_LISTED} more (in the timeline)`);
  return lines;
}

/** Step 2: the temporary credentials obtained in the window, which no resource shows. */
function sessionEvidence(t: TimelineDocument | undefined): string[] {
  if (!t) return [];
  const sessions = eventsOf(t, 'credentials');
  return item(
    `CloudTrail, ${time(t.window.since)} to ${time(t.window.until)}: ${count(sessions.length, 'request')} for temporary credentials (GetSessionToken, GetFederationToken, AssumeRole).`,
    listed(sessions),
  );
}

const FOOTHOLD_WORDS: Record<ProvenanceDocument['footholds'][number]['kind'], string> = {
  exposedKey: 'exposed access key',
  accessKey: 'access key it created',
  session: 'temporary credentials it obtained',
  user: 'IAM user it created',
  console: 'IAM user whose console password it set',
  workload: 'instance or function it launched',
  trust: 'role whose trust it wrote',
};

/** Step 2: the sessions the exposed keys (and what they gave) obtained, each with what ends it. */
function attackerSessionEvidence(t: TimelineDocument | undefined): string[] {
  const p = t?.provenance;
  if (!p) return [];
  const lines = p.sessions.slice(0, MAX_LISTED).map((s) => {
    const whose = s.role !== undefined ? ` for role ${plain(s.role)}` : s.user !== undefined ? ` by user ${plain(s.user)}` : s.root ? ' with the root user\'s credentials' : '';
    const ends = s.expiration !== undefined ? `, valid until ${plain(s.expiration)}` : '';
    const ender = s.how === 'AssumeRole' ? "; ended by revoking the role's sessions" : s.root ? '; no policy can end it before it expires' : "; ended by denying the user, whose deny binds its sessions";
    return `${time(s.via.time)} ${plain(s.how)}${whose}: ${plain(s.accessKeyId)}${ends}${ender}`;
  });
  if (p.sessions.length > MAX_LISTED) lines.push(`... and ${p.sessions.length - MAX_LISTED} more (in the timeline)`);
  return item(`Temporary credentials obtained by the exposed key(s), directly or through what they created: ${count(p.sessions.length, 'session')}.`, lines);
}

/** Step 3: what the exposed keys did, followed through every foothold their calls gave. */
function provenanceEvidence(p: ProvenanceDocument): string[] {
  const gained = p.footholds.filter((f) => f.hop > 0);
  const lines = gained.slice(0, MAX_LISTED).map((f) => `hop ${f.hop}: ${FOOTHOLD_WORDS[f.kind]} ${plain(f.id)}${f.via ? `, ${time(f.via.time)} ${plain(f.via.name)} in ${plain(f.via.region)}` : ''}`);
  if (gained.length > MAX_LISTED) lines.push(`... and ${gained.length - MAX_LISTED} more (in the timeline)`);
  if (p.unseenSeeds.length > 0) lines.push(`No event in the window was signed with ${p.unseenSeeds.map(plain).join(', ')}.`);
  return item(
    `What the exposed key(s) ${p.seeds.map(plain).join(', ')} did, followed through every key, session, user, password and workload their calls gave: ${count(p.events, 'event')}, ${count(gained.length, 'foothold')} gained.`,
    lines,
  );
}

/** Step 3: what the timeline read, what it found by kind, and every sign of defence evasion. */
function trailEvidence(t: TimelineDocument): string[] {
  const byCategory = CATEGORIES.map((c) => [c, eventsOf(t, c).length] as const).filter(([, n]) => n > 0);
  const evasion = eventsOf(t, 'defence-evasion');
  return item(
    `CloudTrail management events from ${time(t.window.since)} to ${time(t.window.until)} were read from ${sourceOf(t)}, in ${count(t.regions.length, 'region')} (${t.regions.map(plain).join(', ')}): ` +
      `${count(t.events, 'security-relevant event')} out of ${count(t.records, 'record')}, by ${count(t.actors.length, 'actor')}.`,
    [
      ...(byCategory.length > 0 ? [`By kind: ${byCategory.map(([c, n]) => `${c} ${n}`).join(', ')}.`] : []),
      evasion.length === 0 ? 'No sign of defence evasion (trails stopped or deleted, detectors or recorders turned off).' : `Defence evasion: ${count(evasion.length, 'event')}:`,
      ...listed(evasion).map((l) => `  ${l}`),
    ],
  ).concat(t.provenance ? provenanceEvidence(t.provenance) : []);
}

function trailUncovered(t: TimelineDocument | undefined): string[] {
  if (!t) {
    return item('A review of CloudTrail event history (who created what, and what the exposed keys did): the audit compares the account as it is now with what we declared.', []);
  }
  const gaps = t.gaps.slice(0, MAX_LISTED).map((g) => `${plain(g.region)}: ${plain(g.operation)} failed: ${plain(g.error)}${g.key ? ` (${plain(g.key)})` : ''}`);
  if (t.gaps.length > MAX_LISTED) gaps.push(`... and ${t.gaps.length - MAX_LISTED} more`);
  return gaps.length === 0 ? [] : item(`CloudTrail events that could not be read (${count(t.gaps.length, 'gap')}):`, gaps);
}

function section(n: AwsStepNumber, title: string, p: Part, more: { evidence?: string[]; uncovered?: string[] } = {}): string[] {
  const lines = [`Step ${n}. ${title}`];
  if (more.evidence && more.evidence.length > 0) lines.push('Evidence:', ...more.evidence);
  if (p.done.length > 0) lines.push('Done:', ...p.done);
  if (p.notDone.length > 0) lines.push('Not done:', ...p.notDone);
  if (p.notes.length > 0) lines.push('Left out of the plan, or needing care:', ...p.notes);
  if (more.uncovered && more.uncovered.length > 0) lines.push('Not covered by this record:', ...more.uncovered);
  if (p.planned === 0 && p.notes.length === 0 && n !== 4) lines.push('Nothing was planned for this step: the audit found nothing that called for it.');
  return [...lines, ''];
}

/** The message to send, as plain text (lines end in `\n`). */
export function renderSupportCase(input: SupportCaseInput): string {
  const ps = parts(input, stepStates(input));
  const st = status(ps);
  const body: string[] = [...heading(input), '', st.line, ''];
  for (const s of AWS_STEPS) {
    const p = ps.get(s.n)!;
    if (s.n === 2) {
      body.push(...section(s.n, s.title, p, { evidence: [...sessionEvidence(input.timeline), ...attackerSessionEvidence(input.timeline)] }));
    } else if (s.n === 3) {
      const t = input.timeline;
      body.push(...section(s.n, s.title, p, { evidence: [...auditEvidence(input.plan), ...(t ? trailEvidence(t) : [])], uncovered: trailUncovered(t) }));
    } else if (s.n === 4) {
      body.push(...section(s.n, s.title, p, { evidence: supportEvidence(input.plan) }));
    } else {
      body.push(...section(s.n, s.title, p));
    }
  }
  body.push(
    st.complete
      ? 'With this message we confirm that steps 1 to 3 are complete as recorded above.'
      : 'We will write again when the actions listed as not done above are done.',
    '',
    'Thank you.',
  );
  return `${body.join('\n')}\n`;
}
