import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PHASE_NAMES } from '../../../src/actions/definition.js';
import { ACTION_KINDS, ACTION_ORDER, ACTIONS, PHASES, STEP_ACTIONS, WORKFLOWS } from '../../../src/actions/registry.js';
import { loadExecutors } from '../../../src/apply/executors.js';
import { schemaFile } from '../../../src/load/schemas.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import type { StepAction } from '../../../src/model/action.js';
import { RESOURCE_TYPE_NAMES } from '../../../src/model/resource.js';

const definitions = Object.entries(STEP_ACTIONS) as [StepAction, (typeof STEP_ACTIONS)[StepAction]][];
const json = (kind: 'plan' | 'rule') => JSON.parse(readFileSync(schemaFile(kind), 'utf8')) as {
  properties: Record<string, { items?: { enum?: string[] } }>;
  $defs: Record<string, { enum?: string[] }>;
};

describe('action registry', () => {
  it('every reversible action has an undo; an irreversible one has none, so undo never runs it', async () => {
    for (const [kind, d] of definitions) {
      if (d.manual) continue;
      expect({ kind, undo: typeof (await d.executor()).undo }).toEqual({ kind, undo: d.reversible ? 'function' : 'undefined' });
    }
  });

  it('every manual action has instructions and no executor; every other action has one', async () => {
    const EXECUTORS = await loadExecutors();
    for (const [kind, d] of definitions) {
      if (d.manual) {
        expect(typeof d.instructions === 'function' || (typeof d.instructions === 'string' && d.instructions.length > 0), kind).toBe(true);
        expect(kind.startsWith('manual'), kind).toBe(true);
        expect(EXECUTORS).not.toHaveProperty(kind);
      } else {
        expect(kind.startsWith('manual'), kind).toBe(false);
        const executor = await d.executor();
        expect(EXECUTORS[kind as keyof typeof EXECUTORS], kind).toBe(executor);
        expect(typeof executor.observe).toBe('function');
        expect(typeof executor.run).toBe('function');
      }
    }
  });

  it('every action a built-in rule names exists', () => {
    const named = new Set(loadRules([builtinRulesDir()]).flatMap((r) => r.remediation));
    expect(named.size).toBeGreaterThan(0);
    for (const kind of named) expect(ACTION_KINDS).toContain(kind);
  });

  it("the schemas' action enums are the registry's kinds, in its order", () => {
    expect(json('rule').properties.remediation!.items!.enum).toEqual([...ACTION_KINDS]);
    expect(json('plan').$defs.action!.enum).toEqual(Object.keys(STEP_ACTIONS));
    expect(ACTION_KINDS).toEqual([...Object.keys(WORKFLOWS), ...Object.keys(STEP_ACTIONS)]);
  });

  it('the catalogue, the phases and the plan order are made from the definitions', () => {
    for (const [kind, d] of definitions) {
      expect(ACTIONS[kind]).toEqual({ reversible: d.reversible, destructive: d.destructive, manual: d.manual, targets: d.targets });
      expect(PHASES[d.phase]).toContain(kind);
      for (const t of d.targets) expect(RESOURCE_TYPE_NAMES).toContain(t);
      // Manual steps never delete or change anything through an API.
      if (d.manual) expect([d.reversible, d.destructive]).toEqual([false, false]);
    }
    expect([...ACTION_ORDER].sort()).toEqual(Object.keys(STEP_ACTIONS).sort());
    expect(ACTION_ORDER).toEqual(PHASE_NAMES.flatMap((p) => PHASES[p]));
  });

  it('a workflow is no step: it has planning, and no catalogue entry', () => {
    for (const [kind, w] of Object.entries(WORKFLOWS)) {
      expect(typeof w.plan).toBe('function');
      expect(ACTIONS).not.toHaveProperty(kind);
    }
  });
});
