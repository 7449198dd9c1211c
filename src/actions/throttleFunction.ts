import { where } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Sets a Lambda function's reserved concurrency to zero. Undo puts the previous concurrency back. */
export const throttleFunction: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['lambda.function'],
  phase: 'contain',
  describe: (t) => `Throttle Lambda function ${t.id}${where(t)} to zero concurrency`,
  keep: ['roleArn'],
  permissions: ['lambda:GetFunctionConfiguration', 'lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency'],
  executor: () => import('../apply/executors/throttleFunction.js').then((m) => m.executor),
};
