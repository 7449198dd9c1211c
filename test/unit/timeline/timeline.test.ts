/**
 * The timeline's pure parts: which records it keeps and how it names what
 * they did, the window, grouping by actor, and both renderings, with hostile
 * values from the records and the JSON schema.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { schemaFile } from '../../../src/load/schemas.js';
import { CATEGORIES, categoryOf, READ_ONLY_LOOKUPS, SECURITY_EVENTS, SUBJECT_KINDS } from '../../../src/timeline/catalogue.js';
import { TimelineSink } from '../../../src/timeline/group.js';
import { normaliseRecord } from '../../../src/timeline/normalise.js';
import { traceProvenance } from '../../../src/timeline/provenance.js';
import { timelineJson, timelineMarkdown, type TimelineResult } from '../../../src/timeline/render.js';
import { parseTrailBucket, windowDays } from '../../../src/timeline/trail-bucket.js';
import { InputError } from '../../../src/errors.js';
import { ctRecord } from '../../helpers/cloudtrail-records.js';
import { ACCOUNT } from '../../helpers/resources.js';
import { BENIGN, CONTROL, HOSTILE } from '../report/hostile.js';
import { shape } from '../report/markdown-ast.js';

const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-11-03T00:00:00Z') };
const T = '2026-11-01T10:00:00Z';

const ajv = new Ajv({ allErrors: true, strict: true });
(formatsPlugin as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile('report').replace('report.schema', 'timeline.schema'), 'utf8')) as object);
const problems = (data: unknown) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

function result(sink: TimelineSink, extra: Partial<TimelineResult> = {}): TimelineResult {
  const groups = sink.grouped();
  return {
    accountId: ACCOUNT,
    window: { since: WINDOW.since.toISOString(), until: WINDOW.until.toISOString() },
    source: { kind: 'lookup', lookupCalls: 4 },
    regions: ['eu-west-1', 'us-east-1'],
    records: sink.records,
    events: sink.eventCount,
    groups,
    gaps: sink.sortedGaps(),
    notes: [],
    ...extra,
  };
}
const text = (chunks: Iterable<string>) => [...chunks].join('');

describe('the catalogue', () => {
  it('keeps the events a compromise leaves, Lambda by its versioned names too, and drops the rest', () => {
    for (const [source, name] of [
      ['iam.amazonaws.com', 'CreateUser'], ['iam.amazonaws.com', 'CreateAccessKey'], ['iam.amazonaws.com', 'CreateLoginProfile'],
      ['iam.amazonaws.com', 'AttachUserPolicy'], ['iam.amazonaws.com', 'UpdateAssumeRolePolicy'], ['sts.amazonaws.com', 'GetSessionToken'],
      ['sts.amazonaws.com', 'GetFederationToken'], ['sts.amazonaws.com', 'AssumeRole'], ['ec2.amazonaws.com', 'RunInstances'],
      ['ec2.amazonaws.com', 'RequestSpotInstances'], ['ec2.amazonaws.com', 'RequestSpotFleet'], ['ec2.amazonaws.com', 'ImportKeyPair'],
      ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress'], ['lambda.amazonaws.com', 'CreateFunction20150331'],
      ['cloudtrail.amazonaws.com', 'StopLogging'], ['cloudtrail.amazonaws.com', 'DeleteTrail'], ['cloudtrail.amazonaws.com', 'UpdateTrail'],
      ['cloudtrail.amazonaws.com', 'PutEventSelectors'], ['ec2.amazonaws.com', 'DeleteFlowLogs'], ['guardduty.amazonaws.com', 'DeleteDetector'],
      ['signin.amazonaws.com', 'ConsoleLogin'],
    ] as const) expect(categoryOf(source, name), `${source} ${name}`).toBeDefined();
    expect(categoryOf('ec2.amazonaws.com', 'DescribeInstances')).toBeUndefined();
    expect(categoryOf('iam.amazonaws.com', 'ListUsers')).toBeUndefined();
    expect(categoryOf('s3.amazonaws.com', 'CreateUser')).toBeUndefined();
    expect(categoryOf('iam.amazonaws.com', 'constructor')).toBeUndefined();
    expect(categoryOf('__proto__', 'x')).toBeUndefined();
    for (const events of Object.values(SECURITY_EVENTS)) for (const c of Object.values(events)) expect(CATEGORIES).toContain(c);
    for (const n of READ_ONLY_LOOKUPS) expect(categoryOf('sts.amazonaws.com', n)).toBe('credentials');
  });
});

describe('a record, normalised', () => {
  it('names time, region, source, actor, IP, agent, the resources acted on and the error', () => {
    const e = normaliseRecord(
      ctRecord({ time: T, region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RunInstances', response: { instancesSet: { items: [{ instanceId: 'i-1' }, { instanceId: 'i-2' }] } }, error: 'Client.UnauthorizedOperation' }),
      WINDOW,
    );
    expect(e).toMatchObject({
      time: '2026-11-01T10:00:00.000Z',
      region: 'eu-west-1',
      source: 'ec2.amazonaws.com',
      name: 'RunInstances',
      category: 'compute',
      actor: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/mallory`, accessKeyId: 'AKIAEXPOSED0000000001' },
      sourceIp: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
      targets: ['i-1', 'i-2'],
      errorCode: 'Client.UnauthorizedOperation',
    });
  });

  it('a session: its role as issuer; a new key and a session key id as targets, never the secret or the session token', () => {
    const rec = ctRecord({ time: T, source: 'sts.amazonaws.com', name: 'AssumeRole', request: { roleArn: `arn:aws:iam::${ACCOUNT}:role/ops`, roleSessionName: 'x' }, response: { credentials: { accessKeyId: 'ASIASESSION', sessionToken: 'TOKEN-SECRET', secretAccessKey: 'SECRET' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ops/x` } } });
    (rec.userIdentity as Record<string, unknown>) = { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/s`, accessKeyId: 'ASIAOTHER', sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${ACCOUNT}:role/admin` } } };
    const e = normaliseRecord(rec, WINDOW)!;
    expect(e.actor).toEqual({ type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/s`, accessKeyId: 'ASIAOTHER', issuer: `arn:aws:iam::${ACCOUNT}:role/admin` });
    expect(e.targets).toEqual([`arn:aws:iam::${ACCOUNT}:role/ops`, 'x', 'ASIASESSION', `arn:aws:sts::${ACCOUNT}:assumed-role/ops/x`]);
    expect(e.subjects).toEqual([
      { kind: 'role', id: `arn:aws:iam::${ACCOUNT}:role/ops` },
      { kind: 'sessionName', id: 'x' },
      { kind: 'session', id: 'ASIASESSION' },
      { kind: 'sessionPrincipal', id: `arn:aws:sts::${ACCOUNT}:assumed-role/ops/x` },
    ]);
    expect(e.issued).toEqual({ kind: 'session', accessKeyId: 'ASIASESSION', principal: `arn:aws:sts::${ACCOUNT}:assumed-role/ops/x` });
    expect(JSON.stringify(e)).not.toMatch(/SECRET/);
  });

  it('a new access key: issued to the user named (else the caller), its id only; a refused call issues nothing', () => {
    const made = (request: Record<string, unknown>, response: Record<string, unknown> | undefined) =>
      normaliseRecord(ctRecord({ time: T, source: 'iam.amazonaws.com', name: 'CreateAccessKey', request, ...(response ? { response } : {}) }), WINDOW)!;
    const forBob = made({ userName: 'bob' }, { accessKey: { accessKeyId: 'AKIANEW', userName: 'bob', secretAccessKey: 'SECRET', status: 'Active' } });
    expect(forBob.issued).toEqual({ kind: 'accessKey', accessKeyId: 'AKIANEW', owner: 'bob' });
    expect(forBob.subjects).toEqual([{ kind: 'user', id: 'bob' }, { kind: 'accessKey', id: 'AKIANEW' }]);
    expect(JSON.stringify(forBob)).not.toMatch(/SECRET/);
    expect(made({}, { accessKey: { accessKeyId: 'AKIAOWN' } }).issued).toEqual({ kind: 'accessKey', accessKeyId: 'AKIAOWN' });
    const refused = normaliseRecord({ ...ctRecord({ time: T, source: 'iam.amazonaws.com', name: 'CreateAccessKey', request: { userName: 'bob' }, response: { accessKey: { accessKeyId: 'AKIAX' } } }), errorCode: 'AccessDenied' }, WINDOW)!;
    expect(refused.issued).toBeUndefined();
  });

  it("a trail's name is a trail, a federated user's name a session name, another service's name only a name", () => {
    const named = (source: string, name: string) => normaliseRecord(ctRecord({ time: T, source, name, request: { name: 'n' } }), WINDOW)!.subjects;
    expect(named('cloudtrail.amazonaws.com', 'StopLogging')).toEqual([{ kind: 'trail', id: 'n' }]);
    expect(named('sts.amazonaws.com', 'GetFederationToken')).toEqual([{ kind: 'sessionName', id: 'n' }]);
    expect(named('guardduty.amazonaws.com', 'CreateIPSet')).toEqual([{ kind: 'name', id: 'n' }]);
  });

  it('the timeline schema lists every subject kind', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../schemas/timeline.schema.json', import.meta.url), 'utf8'));
    expect(schema.$defs.event.properties.subjects.items.properties.kind.enum).toEqual([...SUBJECT_KINDS]);
  });

  it('is dropped outside the window (until excluded), when not kept, or not shaped like a record', () => {
    const at = (time: string) => normaliseRecord(ctRecord({ time, source: 'iam.amazonaws.com', name: 'CreateUser' }), WINDOW);
    expect(at('2026-10-31T23:59:59Z')).toBeUndefined();
    expect(at('2026-11-01T00:00:00Z')).toBeDefined();
    expect(at('2026-11-03T00:00:00Z')).toBeUndefined();
    expect(at('yesterday')).toBeUndefined();
    expect(normaliseRecord(ctRecord({ time: T, source: 'iam.amazonaws.com', name: 'GetUser' }), WINDOW)).toBeUndefined();
    for (const junk of [null, 42, 'x', [], { eventSource: 1, eventName: 'CreateUser', eventTime: T }]) expect(normaliseRecord(junk, WINDOW)).toBeUndefined();
    // A hostile shape: targets that are not strings are not read.
    const odd = normaliseRecord({ ...ctRecord({ time: T, source: 'iam.amazonaws.com', name: 'CreateUser' }), requestParameters: { userName: { toString: 'x' } }, userIdentity: 'root' }, WINDOW)!;
    expect(odd.targets).toEqual([]);
    expect(odd.actor).toEqual({ type: 'Unknown' });
  });
});

describe('the window', () => {
  it("lists the window's day folders and the day after (late delivery)", () => {
    expect(windowDays({ since: new Date('2026-11-30T22:00:00Z'), until: new Date('2026-12-02T00:00:00Z') })).toEqual(['2026/11/30', '2026/12/01', '2026/12/02']);
    expect(windowDays({ since: new Date('2026-11-01T10:00:00Z'), until: new Date('2026-11-01T11:00:00Z') })).toEqual(['2026/11/01', '2026/11/02']);
  });

  it('reads s3://bucket/prefix, and refuses what is not one', () => {
    expect(parseTrailBucket('s3://trail-logs')).toEqual({ bucket: 'trail-logs', prefix: '' });
    expect(parseTrailBucket('s3://trail-logs/org/trails/')).toEqual({ bucket: 'trail-logs', prefix: 'org/trails/' });
    for (const bad of ['trail-logs', 'https://x/y', 's3://', 's3://UPPER/x']) expect(() => parseTrailBucket(bad)).toThrow(InputError);
  });
});

describe('grouping', () => {
  it('by actor, in time order, each event once, with every key the actor used', () => {
    const sink = new TimelineSink();
    const add = (spec: Parameters<typeof ctRecord>[0]) => sink.add(normaliseRecord(ctRecord(spec), WINDOW)!);
    add({ time: '2026-11-01T12:00:00Z', source: 'iam.amazonaws.com', name: 'CreateAccessKey', user: 'backdoor', keyId: 'AKIAB', id: 'e3' });
    add({ time: '2026-11-01T11:00:00Z', source: 'iam.amazonaws.com', name: 'CreateUser', request: { userName: 'backdoor' }, id: 'e2', keyId: 'AKIA2' });
    add({ time: '2026-11-01T10:00:00Z', source: 'cloudtrail.amazonaws.com', name: 'StopLogging', request: { name: 'main' }, id: 'e1' });
    add({ time: '2026-11-01T10:00:00Z', source: 'cloudtrail.amazonaws.com', name: 'StopLogging', request: { name: 'main' }, id: 'e1' });
    const groups = sink.grouped();
    expect(groups.map((g) => g.key)).toEqual([`arn:aws:iam::${ACCOUNT}:user/mallory`, `arn:aws:iam::${ACCOUNT}:user/backdoor`]);
    expect(groups[0]!.events.map((e) => e.name)).toEqual(['StopLogging', 'CreateUser']);
    expect(groups[0]!.accessKeyIds).toEqual(['AKIA2', 'AKIAEXPOSED0000000001']);
    expect(sink.eventCount).toBe(3);
  });
});

function sinkOf(values: readonly string[]): TimelineSink {
  const sink = new TimelineSink();
  values.forEach((v, i) => {
    const rec = ctRecord({ time: `2026-11-01T10:${String(i).padStart(2, '0')}:00Z`, source: 'iam.amazonaws.com', name: 'CreateUser', user: v, ip: v, agent: v, request: { userName: v }, error: v, id: `e${i}` });
    sink.add(normaliseRecord(rec, WINDOW)!);
  });
  sink.gap({ region: values[0]!, source: 'lookup', operation: 'cloudtrail:LookupEvents', error: values[1]! });
  return sink;
}

describe('rendering', () => {
  it('Markdown: a hostile value adds no structure (same shape as harmless ones) and no control character', () => {
    const hostile = text(timelineMarkdown(result(sinkOf(HOSTILE))));
    const benign = text(timelineMarkdown(result(sinkOf(BENIGN))));
    expect(shape(hostile)).toEqual(shape(benign));
    for (const line of hostile.split('\n')) expect(line).not.toMatch(CONTROL);
    expect(hostile).toContain('## Gaps: events not read');
  });

  it('JSON: streamed in pieces, parses, validates against the schema, keeps hostile values exactly', () => {
    const sink = sinkOf(HOSTILE);
    const chunks = [...timelineJson(result(sink))];
    expect(chunks.length).toBeGreaterThan(HOSTILE.length);
    const json = JSON.parse(chunks.join('')) as { actors: { events: { userAgent: string }[] }[]; complete: boolean };
    expect(problems(json)).toEqual([]);
    expect(json.complete).toBe(false);
    expect(json.actors.flatMap((a) => a.events.map((e) => e.userAgent)).sort()).toEqual([...HOSTILE].sort());
  });

  it('with provenance: Markdown escapes hostile footholds and sessions (same shape as harmless ones); JSON validates and keeps them exactly', () => {
    const followed = (values: readonly string[]) => {
      const sink = new TimelineSink();
      values.forEach((v, i) => {
        const t = (n: number) => `2026-11-01T1${n}:${String(i).padStart(2, '0')}:00Z`;
        for (const rec of [
          ctRecord({ time: t(0), source: 'iam.amazonaws.com', name: 'CreateUser', request: { userName: v }, response: { user: { arn: `arn:aws:iam::${ACCOUNT}:user/${v}` } }, id: `u${i}` }),
          ctRecord({ time: t(1), source: 'sts.amazonaws.com', name: 'GetSessionToken', response: { credentials: { accessKeyId: `ASIA${i}`, expiration: v } }, id: `s${i}` }),
        ])
          sink.add(normaliseRecord(rec, WINDOW)!);
      });
      return result(sink, { provenance: traceProvenance(sink.grouped().flatMap((g) => g.events), ['AKIAEXPOSED0000000001']) });
    };
    const hostile = text(timelineMarkdown(followed(HOSTILE)));
    expect(shape(hostile)).toEqual(shape(text(timelineMarkdown(followed(BENIGN)))));
    for (const line of hostile.split('\n')) expect(line).not.toMatch(CONTROL);
    expect(hostile).toContain('## What the exposed keys did');
    expect(hostile).toContain('### Sessions the attacker obtained');
    const json = JSON.parse(text(timelineJson(followed(HOSTILE)))) as { provenance: { footholds: { id: string }[]; sessions: { expiration: string }[] } };
    expect(problems(json)).toEqual([]);
    expect(json.provenance.sessions.map((x) => x.expiration).sort()).toEqual([...HOSTILE].sort());
    expect(json.provenance.footholds.filter((f) => !f.id.startsWith('A')).map((f) => f.id).sort()).toEqual([...HOSTILE].filter((v) => !v.startsWith('A')).sort());
  });

  it('JSON: an empty timeline and a bucket source validate; the schema refuses what a timeline never holds', () => {
    const empty = JSON.parse(text(timelineJson(result(new TimelineSink(), { source: { kind: 'trail-bucket', bucket: 'b', prefix: '' } })))) as Record<string, unknown>;
    expect(problems(empty)).toEqual([]);
    expect(empty.actors).toEqual([]);
    expect(problems({ ...empty, extra: 1 })).toEqual([' must NOT have additional properties']);
    const full = JSON.parse(text(timelineJson(result(sinkOf(BENIGN))))) as { actors: { events: Record<string, unknown>[] }[] };
    full.actors[0]!.events[0]!.category = 'mischief';
    expect(problems(full)).toEqual(['/actors/0/events/0/category must be equal to one of the allowed values']);
  });

  it('Markdown: an empty window says so', () => {
    expect(text(timelineMarkdown(result(new TimelineSink())))).toContain('No security-relevant events in the window.');
  });
});

describe('the command, on bad input', () => {
  it('refuses a window it cannot read before calling AWS, naming the option', async () => {
    const { runTimeline } = await import('../../../src/commands/timeline.js');
    const problem = async (o: Partial<Parameters<typeof runTimeline>[0]>) => {
      try {
        await runTimeline({ since: '2026-11-01', format: 'md', quiet: true, ...o });
      } catch (err) {
        return err instanceof InputError ? err.problems.map((p) => p.file) : [`not an InputError: ${String(err)}`];
      }
      return ['no error'];
    };
    expect(await problem({ since: 'last tuesday' })).toEqual(['--since']);
    expect(await problem({ until: '2026-11-01T10:00' })).toEqual(['--until']);
    expect(await problem({ since: '2026-11-02', until: '2026-11-01' })).toEqual(['--since']);
    expect(await problem({ trailBucket: 'bucket-without-scheme' })).toEqual(['--trail-bucket']);
    expect(await problem({ regions: ['mars-north-1'] })).toEqual(['--regions']);
  });
});
