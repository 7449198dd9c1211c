import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_KINDS } from '../../../src/actions/registry.js';
import { InputError } from '../../../src/errors.js';
import { loadReport } from '../../../src/load/report.js';
import { schemaFile, validator } from '../../../src/load/schemas.js';
import { RESOURCE_TYPE_NAMES } from '../../../src/model/resource.js';
import { SEVERITIES } from '../../../src/model/severity.js';
import { REPORT_FORMAT } from '../../../src/report/audit-report.js';
import { compareRuns, DRIFT_STATUSES, withDrift } from '../../../src/report/drift.js';
import { renderJson } from '../../../src/report/json.js';
import { user } from '../../helpers/resources.js';
import { tempDir } from '../../helpers/temp.js';
import { thrown } from '../load/files.js';
import { compromise } from '../plan/fixtures.js';
import { richReport } from './fixtures.js';

type Schema = { properties: Record<string, Record<string, unknown>>; $defs: Record<string, Record<string, unknown>> };
const schema = JSON.parse(readFileSync(schemaFile('report'), 'utf8')) as Schema;

/** A report as the JSON report's reader gets it: written, then parsed. */
const asWritten = (report: object) => JSON.parse(renderJson(report as never)) as Record<string, unknown>;

function problemsOf(data: unknown): string[] {
  const validate = validator('report');
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('the JSON report schema', () => {
  it('is versioned: the report carries its format, which the schema pins', () => {
    expect(schema.properties.format).toMatchObject({ const: REPORT_FORMAT });
    expect((schema as unknown as { required: string[] }).required).toContain('format');
  });

  it('a real report, with gaps, unknown, suppressed and every severity, validates', () => {
    const report = asWritten(richReport());
    expect((report.violations as unknown[]).length).toBeGreaterThan(5);
    expect(problemsOf(report)).toEqual([]);
  });

  it('a report compared with a previous one (new, known, resolved, unverified) validates', () => {
    const before = richReport([...compromise(), user('mallory')]);
    const now = richReport();
    const drift = compareRuns(before, { violations: now.violations, regions: now.inventory.regions, ruleIds: new Set(now.violations.map((v) => v.ruleId)) }, 'before.json');
    expect(drift.resolved.length + drift.unverified.length).toBeGreaterThan(0);
    const report = asWritten(withDrift(now, drift));
    expect(problemsOf(report)).toEqual([]);
  });

  it('refuses what a report never holds: an unknown key, a wrong severity, a drift status of its own', () => {
    const report = asWritten(richReport());
    expect(problemsOf({ ...report, extra: 1 })).toEqual([' must NOT have additional properties']);
    const violations = report.violations as Record<string, unknown>[];
    expect(problemsOf({ ...report, violations: [{ ...violations[0], severity: 'urgent' }] })).toEqual(['/violations/0/severity must be equal to one of the allowed values']);
    expect(problemsOf({ ...report, violations: [{ ...violations[0], drift: 'resolved' }] })).toEqual(['/violations/0/drift must be equal to one of the allowed values']);
  });

  it('its enums are the model constants', () => {
    expect(schema.$defs.severity!.enum).toEqual([...SEVERITIES]);
    expect(schema.$defs.action!.enum).toEqual([...ACTION_KINDS]);
    expect(schema.$defs.resourceType!.enum).toEqual(RESOURCE_TYPE_NAMES);
    expect(schema.$defs.violation!.properties).toMatchObject({ drift: { enum: [...DRIFT_STATUSES] } });
    expect(Object.keys((schema.properties.summary!.properties as { fail: { properties: object } }).fail.properties)).toEqual([...SEVERITIES]);
  });
});

describe('loadReport (audit --previous)', () => {
  const write = (name: string, text: string) => {
    const file = join(tempDir('rollcall-report-'), name);
    writeFileSync(file, text);
    return file;
  };

  it('reads a report rollcall wrote', () => {
    const file = write('report.json', renderJson(richReport()));
    expect(loadReport(file).account.id).toBe('123456789012');
  });

  it('a missing file, a file of another kind, another format or a broken report: InputError naming the file and why', () => {
    const message = (file: string) => (thrown(() => loadReport(file)) as InputError).message;
    const dir = tempDir('rollcall-report-');
    expect(thrown(() => loadReport(join(dir, 'nope.json')))).toBeInstanceOf(InputError);
    expect(message(join(dir, 'nope.json'))).toBe(`${join(dir, 'nope.json')}: cannot read: ENOENT: no such file or directory, open '${join(dir, 'nope.json')}'`);
    const baseline = write('b.yaml', 'version: 1\naccount: { id: "123456789012" }\n');
    expect(message(baseline)).toBe(`${baseline}: not a JSON audit report (write one with rollcall audit --format json --out FILE): this is a baseline (version, account)`);
    const markdown = write('report.md', '# rollcall audit: account 123456789012\n\n**No violations.**\n');
    expect(message(markdown)).toBe(`${markdown}: not a JSON audit report (write one with rollcall audit --format json --out FILE): this is a Markdown report`);
    const future = write('future.json', renderJson({ ...richReport(), format: 2 as never }));
    expect(message(future)).toBe(`${future}:2:13 at /format: report format 2 is not supported: this rollcall reads format 1`);
    const broken = write('broken.json', renderJson(richReport()).replace('"caller": "', '"caller": 7, "x": "'));
    expect(message(broken)).toMatch(new RegExp(`^${broken}:\\d+:\\d+ at /caller: must be a string`));
    const truncated = write('truncated.json', renderJson(richReport()).slice(0, 200));
    expect(message(truncated)).toContain(truncated);
  });
});
