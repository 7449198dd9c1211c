import { EXIT, type ExitCode } from '../exit-codes.js';
import { InputError } from '../errors.js';
import { writeChunks, writeChunksAtomic } from '../report/output.js';
import { timelineJson, timelineMarkdown } from '../timeline/render.js';
import { buildTimeline } from '../timeline/timeline.js';
import { traceProvenance } from '../timeline/provenance.js';
import { loadBaseline } from '../load/baseline.js';
import { terminalText } from '../report/escape.js';
import { parseTrailBucket } from '../timeline/trail-bucket.js';
import { checkOutputFile, parseRegions } from './arguments.js';
import { makeClients, makeLog, parseNow, type GlobalOptions } from './options.js';

export interface TimelineCommandOptions extends GlobalOptions {
  /** Required unless the baseline's incident.since gives it. */
  since?: string;
  /** Exposed access key ids to follow (repeatable). */
  key?: string[];
  /** A baseline whose incident gives the keys to follow (exposedKeys) and the default window (since, until). */
  baseline?: string;
  until?: string;
  trailBucket?: string;
  format: string;
  out?: string;
  regions?: string[];
}

/** An ISO-8601 time given as `option`: parseNow's rules, its errors naming the option. */
function parseTime(option: string, value: string): Date {
  try {
    return parseNow(value);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.problems.map((p) => ({ ...p, file: option })));
    throw err;
  }
}

/** An access key id: AKIA (long-term) or ASIA (session), then upper-case letters and digits. */
const KEY_ID = /^A(?:KIA|SIA)[A-Z0-9]{12,124}$/;

function parseKeys(keys: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const k of keys ?? []) {
    for (const part of k.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
      if (!KEY_ID.test(part)) throw InputError.at({ file: '--key' }, `'${terminalText(part)}' is not an access key id (AKIA... or ASIA..., letters and digits)`);
      out.push(part);
    }
  }
  return out;
}

/** `rollcall timeline`: the window's security-relevant CloudTrail events, by actor. Exit 4 when a region or file could not be read. */
export async function runTimeline(o: TimelineCommandOptions): Promise<ExitCode> {
  const log = makeLog(o);
  const now = new Date();
  const incident = o.baseline !== undefined ? loadBaseline(o.baseline).incident : undefined;
  const seeds = [...new Set([...parseKeys(o.key), ...(incident?.exposedKeys ?? [])])];
  const sinceText = o.since ?? incident?.since;
  if (sinceText === undefined) {
    throw InputError.at({ file: '--since' }, o.baseline !== undefined ? `is required: ${o.baseline} has no incident.since to start the window at` : 'is required (or -b BASELINE whose incident.since starts the window)');
  }
  const since = o.since !== undefined ? parseTime('--since', o.since) : parseTime(`${o.baseline}: incident.since`, sinceText);
  const untilText = o.until ?? (o.since === undefined ? incident?.until : undefined);
  const until = untilText !== undefined ? (o.until !== undefined ? parseTime('--until', o.until) : parseTime(`${o.baseline}: incident.until`, untilText)) : now;
  if (since.getTime() >= until.getTime()) throw InputError.at({ file: '--since' }, `must be before --until (${until.toISOString()})`);
  if (o.format !== 'md' && o.format !== 'json') throw InputError.at({ file: '--format' }, `must be md or json (got '${o.format}')`);
  const trailBucket = o.trailBucket !== undefined ? parseTrailBucket(o.trailBucket) : undefined;
  const regions = parseRegions(o.regions);
  if (o.out) checkOutputFile('--out', o.out);

  const clients = await makeClients(o);
  try {
    const built = await buildTimeline(clients, { window: { since, until }, now, log, ...(regions ? { regions } : {}), ...(trailBucket ? { trailBucket } : {}) });
    const result = seeds.length > 0 ? { ...built, provenance: traceProvenance(built.groups.flatMap((g) => g.events), seeds) } : built;
    if (result.provenance) {
      const p = result.provenance;
      log(`provenance: ${p.footholds.length} footholds from ${p.seeds.length} exposed key(s), ${p.events.length} events by the attacker, ${p.sessions.length} session(s) obtained`);
      if (p.unseenSeeds.length > 0) log(`no event in the window was signed with ${p.unseenSeeds.join(', ')}`);
    }
    const chunks = o.format === 'json' ? timelineJson(result) : timelineMarkdown(result);
    if (o.out) {
      writeChunksAtomic(o.out, chunks);
      log(`timeline written to ${o.out}: ${result.events} events by ${result.groups.length} actors from ${result.records} records, ${result.gaps.length} gaps`);
    } else {
      await writeChunks(process.stdout, chunks);
    }
    for (const g of result.gaps) log(`not read: ${g.region} (${g.operation}${g.key ? ` ${g.key}` : ''}): ${g.error}`);
    return result.gaps.length > 0 ? EXIT.incomplete : EXIT.clean;
  } finally {
    clients.destroy();
  }
}
