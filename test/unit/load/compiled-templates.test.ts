import { describe, expect, it } from 'vitest';
import { checkCompiles, parseTemplate, templateKey } from '../../../src/handlebars.js';
import { COMPILED_AHEAD } from '../../../src/compiled-templates.js';
import { builtinRulesDir, ruleFilesIn } from '../../../src/load/rules.js';
import { readDataFile } from '../../../src/load/yaml-file.js';

/** The built-in rules' messages, each compiled here with the one Handlebars set-up. */
function builtinMessages(): string[] {
  const messages = ruleFilesIn(builtinRulesDir()).map((f) => (readDataFile(f).data as { message: string }).message);
  for (const m of messages) checkCompiles(m);
  return messages;
}

describe('templates compiled ahead', () => {
  it('compiled-templates.ts holds the keys of the built-in messages, all of which compile', async () => {
    const keys = [...new Set(builtinMessages().map(templateKey))].sort();
    const text = [
      "// Generated: do not edit. The keys (handlebars.ts templateKey: Handlebars' version and the text) of the built-in",
      "// rules' messages, which this checkout's tests compile with the one Handlebars set-up: parseTemplate does not compile",
      '// them again at every run. After changing a message or Handlebars, regenerate with',
      '//   npx vitest run test/unit/load/compiled-templates.test.ts -u',
      'export const COMPILED_AHEAD: ReadonlySet<string> = new Set([',
      ...keys.map((k) => `  '${k}',`),
      ']);',
      '',
    ].join('\n');
    await expect(text).toMatchFileSnapshot('../../../src/compiled-templates.ts');
  });

  it('a template not among them is still compiled: what only compiling finds is still refused', () => {
    const source = '{{> note a b}}'; // parses; Handlebars refuses it when compiling
    expect(COMPILED_AHEAD.has(templateKey(source))).toBe(false);
    expect(() => parseTemplate(source)).toThrow(/Unsupported number of partial arguments: 2/);
    const builtin = builtinMessages()[0]!;
    expect(COMPILED_AHEAD.has(templateKey(builtin))).toBe(true);
    expect(parseTemplate(builtin).type).toBe('Program');
  });
});
