import { where } from './describe-helpers.js';
import { executor } from '../apply/executors/deleteFunction.js';
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
  executor,
};
