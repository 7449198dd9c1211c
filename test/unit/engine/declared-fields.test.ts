import { describe, expect, it } from 'vitest';
import { DECLARATIONS } from '../../../src/engine/declarations.js';
import { SELECTABLE_TYPES, type Baseline } from '../../../src/model/baseline.js';
import { DECLARED } from '../../../src/model/resource-fields.js';
import { RESOURCE_TYPE_NAMES } from '../../../src/model/resource.js';

const selector = { id: 'x-1', name: 'web', region: 'us-east-1', tags: { team: 'web' }, max: 2, description: 'd' };

/** A baseline that declares something of every type, every optional field given. */
const baseline: Baseline = {
  version: 1,
  account: { id: '123456789012' },
  root: { mfa: 'required', accessKeys: 'forbidden' },
  iam: {
    users: [
      { name: 'alice', console: true, accessKeys: [{ id: 'AKIAEXAMPLEEXAMPLE01', maxAgeDays: 30 }], policies: ['p'], inlinePolicies: ['i'], groups: ['g'] },
      { name: 'bob', accessKeys: { count: 1, maxAgeDays: 90 } },
    ],
    roles: [{ name: 'r', trustedPrincipals: ['123456789012'], policies: ['p'], inlinePolicies: ['i'] }],
    groups: [{ name: 'g', policies: ['p'], inlinePolicies: ['i'] }],
    policies: [{ name: 'p' }],
  },
  resources: Object.fromEntries(SELECTABLE_TYPES.map((t) => [t, [t === 'config.resource' ? { ...selector, configType: 'AWS::SageMaker::*' } : selector]])),
};

describe('DECLARED lists what declarations hand rules as declared.*', () => {
  for (const type of RESOURCE_TYPE_NAMES) {
    it(type, () => {
      const fields = new Set(DECLARATIONS[type](baseline, []).entries.flatMap((e) => Object.keys(e.data)));
      expect([...fields].sort()).toEqual(Object.keys(DECLARED[type]).sort());
    });
  }
});
