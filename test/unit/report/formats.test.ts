import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { renderJson } from '../../../src/report/json.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { REPORT_FORMAT_NAMES, REPORT_FORMATS, reportFormat, reportFormatsHelp } from '../../../src/report/formats.js';
import { richReport } from './fixtures.js';
import { incidentBaseline } from '../plan/fixtures.js';
import { inventory } from '../../helpers/resources.js';

describe('the report format registry', () => {
  it('names every format audit --format accepts, each with its description in --help', () => {
    expect(REPORT_FORMAT_NAMES).toEqual(expect.arrayContaining(['md', 'json', 'sarif']));
    for (const name of REPORT_FORMAT_NAMES) expect(reportFormatsHelp()).toContain(`${name} (${REPORT_FORMATS[name].description})`);
  });

  it('md and json write what the Markdown and JSON renderers write', async () => {
    const report = richReport();
    const input = { report, rules: [], violations: [], baseline: incidentBaseline(), baselineLines: { file: 'baseline.yaml', lines: new Map() }, inventory: inventory([]), cwd: '/' };
    expect([...(await reportFormat('md').load())(input)].join('')).toBe(renderMarkdown(report));
    expect([...(await reportFormat('json').load())(input)].join('')).toBe(renderJson(report));
  });

  it('refuses a format it does not know, naming the ones it has; never a name from Object.prototype', () => {
    for (const name of ['xml', 'toString', '__proto__', 'MD']) {
      let caught: unknown;
      try {
        reportFormat(name);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).problems).toEqual([{ file: '--format', message: `must be one of: ${REPORT_FORMAT_NAMES.join(', ')} (got '${name}')` }]);
    }
  });
});
