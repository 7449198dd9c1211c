/**
 * IAM actions (`service:Operation`, with the service's IAM prefix), as
 * collectors and executors declare the calls they make. The call counter
 * counts calls under the same names, so a test can hold the two together.
 */
export type IamAction = `${string}:${string}`;

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: IamAction[]; Resource: '*' }[];
}

/** An identity policy allowing exactly `actions` (sorted, each once). */
export function policyFor(sid: string, actions: Iterable<IamAction>): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: [...new Set(actions)].sort(), Resource: '*' }] };
}
