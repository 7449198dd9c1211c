/**
 * The timeline as Markdown and as JSON (schemas/timeline.schema.json), each a
 * sequence of pieces (one per actor, one per event row) so that a large
 * window is written as it is rendered, never held as one string. Every value
 * from a record is attacker data: Markdown escapes each one (escape.ts),
 * JSON relies on JSON.stringify.
 */
import { markdownCell, markdownCode, markdownText } from '../report/escape.js';
import type { TimelineEvent, TimelineGap } from './event.js';
import type { ActorGroup } from './group.js';

export const TIMELINE_FORMAT = 1;

export interface TimelineResult {
  accountId: string;
  window: { since: string; until: string };
  /** How the events were read. */
  source: { kind: 'lookup'; lookupCalls: number } | { kind: 'trail-bucket'; bucket: string; prefix: string };
  regions: string[];
  records: number;
  events: number;
  groups: ActorGroup[];
  gaps: TimelineGap[];
  notes: string[];
}

const eventJson = (e: TimelineEvent) => {
  const { id: _id, ...rest } = e;
  return rest;
};

export function* timelineJson(r: TimelineResult): Generator<string> {
  const head = {
    format: TIMELINE_FORMAT,
    accountId: r.accountId,
    window: r.window,
    source: r.source,
    regions: r.regions,
    records: r.records,
    events: r.events,
    complete: r.gaps.length === 0,
    gaps: r.gaps,
    notes: r.notes,
  };
  const text = JSON.stringify(head, null, 2);
  yield `${text.slice(0, -2)},\n  "actors": [`;
  let first = true;
  for (const g of r.groups) {
    const actor = { key: g.key, ...g.actor, accessKeyIds: g.accessKeyIds, events: g.events.map(eventJson) };
    yield `${first ? '' : ','}\n    ${JSON.stringify(actor)}`;
    first = false;
  }
  yield `${first ? '' : '\n  '}]\n}\n`;
}

const code = (v: string | undefined) => (v === undefined || v === '' ? '' : markdownCode(v, { table: true }));

function describeActor(g: ActorGroup): string {
  const a = g.actor;
  const parts = [`type ${markdownText(a.type)}`];
  if (a.issuer) parts.push(`session of ${markdownCode(a.issuer)}`);
  if (a.invokedBy) parts.push(`invoked by ${markdownCode(a.invokedBy)}`);
  if (g.accessKeyIds.length > 0) parts.push(`access key${g.accessKeyIds.length > 1 ? 's' : ''} ${g.accessKeyIds.map((k) => markdownCode(k)).join(', ')}`);
  return parts.join('; ');
}

export function* timelineMarkdown(r: TimelineResult): Generator<string> {
  yield `# CloudTrail timeline for account ${markdownText(r.accountId)}\n\n`;
  yield `Window: ${markdownText(r.window.since)} to ${markdownText(r.window.until)}. `;
  yield r.source.kind === 'lookup'
    ? `Read from CloudTrail event history (LookupEvents, ${r.source.lookupCalls} calls)`
    : `Read from the trail's log files in ${markdownCode(`s3://${r.source.bucket}/${r.source.prefix}`)}`;
  yield ` in ${r.regions.length} region${r.regions.length === 1 ? '' : 's'}: ${r.records} records, ${r.events} security-relevant events by ${r.groups.length} actor${r.groups.length === 1 ? '' : 's'}.\n\n`;
  if (r.gaps.length > 0) {
    yield `## Gaps: events not read\n\nThe timeline is incomplete: what happened here is unknown, not absent.\n\n| Region | Source | Call | Object | Error |\n|---|---|---|---|---|\n`;
    for (const g of r.gaps) yield `| ${markdownCell(g.region)} | ${g.source} | ${markdownCell(g.operation)} | ${code(g.key)} | ${markdownCell(g.error)} |\n`;
    yield '\n';
  }
  for (const n of r.notes) yield `> ${markdownText(n)}\n\n`;
  if (r.groups.length === 0) {
    yield 'No security-relevant events in the window.\n';
    return;
  }
  for (const g of r.groups) {
    yield `## ${markdownText(g.key)}\n\n${describeActor(g)}; ${g.events.length} event${g.events.length === 1 ? '' : 's'}.\n\n`;
    yield '| Time | Region | Event | Kind | Targets | Source IP | User agent | Error |\n|---|---|---|---|---|---|---|---|\n';
    for (const e of g.events) {
      const targets = e.targets.map((t) => markdownCode(t, { table: true })).join(' ');
      yield `| ${markdownCell(e.time)} | ${markdownCell(e.region)} | ${markdownCell(e.name)} (${markdownCell(e.source)}) | ${e.category} | ${targets} | ${code(e.sourceIp)} | ${code(e.userAgent)} | ${e.errorCode ? markdownCell(e.errorCode) : ''} |\n`;
    }
    yield '\n';
  }
}
