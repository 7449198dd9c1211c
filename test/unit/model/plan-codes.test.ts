import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REASON_CODES, WARNING_CODES } from '../../../src/model/plan.js';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/plan.schema.json', import.meta.url), 'utf8'));

describe('the plan schema knows every code the planner writes', () => {
  it('warning codes', () => {
    expect(schema.$defs.warning.properties.code.enum).toEqual([...WARNING_CODES]);
  });

  it('reason codes', () => {
    expect(schema.$defs.step.properties.reasons.items.properties.code.enum).toEqual([...REASON_CODES]);
  });
});
