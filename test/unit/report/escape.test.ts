import { describe, expect, it } from 'vitest';
import { markdownCell, markdownCode, markdownText, terminalLines, terminalText } from '../../../src/report/escape.js';
import { BENIGN, CONTROL, HOSTILE } from './hostile.js';
import { parser, renderedText, shape } from './markdown-ast.js';

/** What a reader should see of a value: line breaks as one space, control characters as visible escapes. */
const seen = (value: string) => terminalText(value.replace(/[ \t]*(?:(?:\r\n|[\n\r])[ \t]*)+/g, ' '));

describe('markdownText', () => {
  it.each(HOSTILE.map((h, i) => [h, BENIGN[i]!]))('%j adds no structure, in a list item or at the start of a line', (hostile, benign) => {
    for (const layout of [(v: string) => `- before ${v} after\n`, (v: string) => `${v}\n`, (v: string) => `# Title ${v}\n\n> - quoted ${v}\n`, (v: string) => `   ${v}: x\n`]) {
      expect(shape(layout(markdownText(hostile)))).toEqual(shape(layout(benign)));
    }
  });

  it.each(HOSTILE)('%j reads as itself once rendered', (hostile) => {
    expect(renderedText(markdownText(hostile)).trim()).toBe(seen(hostile).trim());
  });

  it('leaves no link, emphasis, HTML or heading from the issue example', () => {
    const md = `- \`instance/us-east-1/i-1\`: Instance i-1 (${markdownText('**No violations.** [details](https://example.invalid)')}) in us-east-1 is not declared\n`;
    const html = parser.render(md);
    expect(html).not.toMatch(/<(a|strong|em|img|h\d)\b/);
    expect(html).toContain('**No violations.** [details](https://example.invalid)');
  });

  it('keeps ordinary names readable: intraword underscores, hyphens, dots and parentheses stay as they are', () => {
    expect(markdownText('ci_deployer of legacy-bot (created 2026-11-22, v1.2.3)')).toBe('ci_deployer of legacy-bot (created 2026-11-22, v1.2.3)');
    expect(markdownText('_lead and trail_')).toBe('\\_lead and trail\\_');
  });

  it('collapses line breaks to one space and shows other control characters', () => {
    expect(markdownText('a\r\n  b\nc\rd')).toBe('a b c d');
    expect(markdownText('\u001b[31m')).toBe('\\x1b\\[31m');
    expect(markdownText('a\u009bb\u202ec')).toBe('a\\x9bb\\u202ec');
  });
});

describe('markdownCell', () => {
  const table = (cell: string) => `| name | note |\n| --- | --- |\n| ${cell} | x |\n`;
  it.each(HOSTILE.map((h, i) => [h, BENIGN[i]!]))('%j stays in its cell: no extra column or row', (hostile, benign) => {
    expect(shape(table(markdownCell(hostile)))).toEqual(shape(table(benign)));
    expect(shape(table(markdownCode(hostile, { table: true })))).toEqual(shape(table(markdownCode(benign, { table: true }))));
  });
});

describe('markdownCode', () => {
  it.each(HOSTILE.map((h, i) => [h, BENIGN[i]!]))('%j is one code span showing the value', (hostile, benign) => {
    const line = (v: string) => `- on ${v}: message\n`;
    expect(shape(line(markdownCode(hostile)))).toEqual(shape(line(markdownCode(benign))));
    const span = parser.parseInline(markdownCode(hostile), {})[0]!.children!.find((c) => c.type === 'code_inline');
    expect(span?.content).toBe(seen(hostile));
  });

  it('fences with more backticks than the value holds in a row, padding a value that starts or ends with one', () => {
    expect(markdownCode('user/alice')).toBe('`user/alice`');
    expect(markdownCode('a``b')).toBe('```a``b```');
    expect(markdownCode('`x')).toBe('`` `x ``');
  });
});

describe('terminalText', () => {
  it.each(HOSTILE)('%j leaves no control character', (hostile) => {
    expect(terminalText(hostile)).not.toMatch(CONTROL);
  });

  it('shows ANSI and C1 sequences, carriage returns and newlines as visible text, and is idempotent', () => {
    expect(terminalText('\u001b[2J\u001b[31mred')).toBe('\\x1b[2J\\x1b[31mred');
    expect(terminalText('\u009b31m')).toBe('\\x9b31m');
    expect(terminalText('done\rFAILED\nfake line')).toBe('done\\rFAILED\\nfake line');
    expect(terminalText(terminalText('a\u0007b'))).toBe('a\\x07b');
    expect(terminalText('naïve ✓ 東京')).toBe('naïve ✓ 東京');
  });

  it('terminalLines keeps the program\'s own line breaks and nothing else', () => {
    expect(terminalLines('one \u001b[2K\ntwo\r')).toBe('one \\x1b[2K\ntwo\\r');
  });
});
