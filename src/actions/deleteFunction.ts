import { where } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Deletes a Lambda function. Irreversible. */
export const deleteFunction: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: true,
  targets: ['lambda.function'],
  phase: 'destroy',
  describe: (t) => `Delete Lambda function ${t.id}${where(t)}`,
  keep: ['roleArn'],
  permissions: ['lambda:GetFunctionConfiguration', 'lambda:DeleteFunction'],
  executor: () => import('../apply/executors/deleteFunction.js').then((m) => m.executor),
};
