import { EXIT, type ExitCode } from '../exit-codes.js';
import { InputError } from '../errors.js';
import { writeChunks, writeChunksAtomic } from '../report/output.js';
import { timelineJson, timelineMarkdown } from '../timeline/render.js';
import { buildTimeline } from '../timeline/timeline.js';
import { parseTrailBucket } from '../timeline/trail-bucket.js';
import { checkOutputFile, parseRegions } from './arguments.js';
import { makeClients, makeLog, parseNow, type GlobalOptions } from './options.js';

export interface TimelineCommandOptions extends GlobalOptions {
  since: string;
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

/** `rollcall timeline`: the window's security-relevant CloudTrail events, by actor. Exit 4 when a region or file could not be read. */
export async function runTimeline(o: TimelineCommandOptions): Promise<ExitCode> {
  const log = makeLog(o);
  const now = new Date();
  const since = parseTime('--since', o.since);
  const until = o.until !== undefined ? parseTime('--until', o.until) : now;
  if (since.getTime() >= until.getTime()) throw InputError.at({ file: '--since' }, `must be before --until (${until.toISOString()})`);
  if (o.format !== 'md' && o.format !== 'json') throw InputError.at({ file: '--format' }, `must be md or json (got '${o.format}')`);
  const trailBucket = o.trailBucket !== undefined ? parseTrailBucket(o.trailBucket) : undefined;
  const regions = parseRegions(o.regions);
  if (o.out) checkOutputFile('--out', o.out);

  const clients = await makeClients(o);
  try {
    const result = await buildTimeline(clients, { window: { since, until }, now, log, ...(regions ? { regions } : {}), ...(trailBucket ? { trailBucket } : {}) });
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
