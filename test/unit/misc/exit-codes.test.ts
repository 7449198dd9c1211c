import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/exit-codes.js';

describe('exit codes', () => {
  it('are stable: scripts and CI depend on each number (README, "Exit codes")', () => {
    expect(EXIT).toEqual({ clean: 0, violations: 1, badInput: 2, failure: 3, incomplete: 4, planHasSteps: 5 });
  });

  it('are distinct', () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
