import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkOutputFile, parseRegions } from '../../../src/commands/arguments.js';
import { parseNow } from '../../../src/commands/options.js';
import { InputError } from '../../../src/errors.js';
import { thrown } from './files.js';

function message(fn: () => unknown): string {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(InputError);
  return (e as InputError).message;
}

describe('--now takes ISO-8601 only', () => {
  it('a date (start of the day, UTC), a date-time with Z or an offset, fractions of a second', () => {
    expect(parseNow('2026-11-29').toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(parseNow('2026-11-29T10:00:00Z').toISOString()).toBe('2026-11-29T10:00:00.000Z');
    expect(parseNow('2026-11-29T10:00+01:00').toISOString()).toBe('2026-11-29T09:00:00.000Z');
    expect(parseNow('2026-11-29T10:00:00.250-05:30').toISOString()).toBe('2026-11-29T15:30:00.250Z');
  });

  it('what JavaScript would guess at is refused, saying what is expected', () => {
    expect(message(() => parseNow('March 7'))).toBe(
      "--now: must be an ISO-8601 date or date-time (got 'March 7'; e.g. 2026-11-29, 2026-11-29T10:00:00Z or 2026-11-29T10:00:00+01:00)",
    );
    for (const bad of ['2026-11-29 10:00', '29/11/2026', '1700000000', 'now', '2026-1-5', '']) {
      expect(message(() => parseNow(bad))).toMatch(/^--now: must be an ISO-8601 date or date-time/);
    }
    expect(message(() => parseNow('2026-11-29T10:00:00'))).toMatch(/^--now: a date-time must end with its zone/);
    expect(message(() => parseNow('2026-02-30'))).toMatch(/^--now: is not a real date/);
    expect(message(() => parseNow('2026-13-01'))).toMatch(/^--now: is not a real date/);
    expect(message(() => parseNow('2026-11-29T24:00:00Z'))).toMatch(/^--now: is not a real time of day/);
  });
});

describe('--regions against the AWS region list', () => {
  it('a typo gets a did-you-mean', () => {
    expect(parseRegions(['us-east-1', 'eu-west-1'])).toEqual(['us-east-1', 'eu-west-1']);
    expect(message(() => parseRegions(['us-east-1', 'us-esat-1']))).toBe("--regions: 'us-esat-1' is not an AWS region, did you mean 'us-east-1'?");
  });
});

describe('-o names a file that can be written', () => {
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'rollcall-out-'));
    onTestFinished(() => rmSync(d, { recursive: true, force: true }));
    return d;
  };

  it('a directory is bad input', () => {
    const d = dir();
    expect(message(() => checkOutputFile('--out', d))).toBe(`--out: '${d}' is a directory: name a file to write, e.g. ${d}/out`);
    expect(message(() => checkOutputFile('--out', `${d}/`))).toMatch(/is a directory/);
  });

  it('a path through a file is bad input; a new file, in new folders too, is fine', () => {
    const d = dir();
    writeFileSync(join(d, 'f'), 'x');
    expect(message(() => checkOutputFile('--out', join(d, 'f', 'report.md')))).toBe(`--out: '${join(d, 'f', 'report.md')}' cannot be written: ${join(d, 'f')} is a file, not a folder`);
    expect(() => checkOutputFile('--out', join(d, 'report.md'))).not.toThrow();
    expect(() => checkOutputFile('--out', join(d, 'new', 'deeper', 'report.md'))).not.toThrow();
    mkdirSync(join(d, 'sub'));
    expect(() => checkOutputFile('--out', join(d, 'f'))).not.toThrow(); // an existing file is replaced, whole
  });
});
