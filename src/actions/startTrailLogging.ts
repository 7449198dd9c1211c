/**
 * startTrailLogging: StartLogging on a trail, in its home region, so that
 * CloudTrail records again what the intruder and the rest of the plan do. It
 * comes first in the plan: the steps after it are then on record. Reversible:
 * undo stops logging again (StopLogging), and only when the trail was not
 * logging before the step (a trail found logging is `already`, and nothing
 * is recorded to undo).
 *
 * The step names the trail by its ARN (`target.arn`): an organization trail
 * seen from a member account belongs to the management account, and only
 * that account can start it, so apply's call fails there and says why.
 */
import { s, where } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

export const startTrailLogging: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['cloudtrail.trail'],
  phase: 'contain',
  describe: (t, p) => `Start logging on CloudTrail trail ${t.id}${where(t)} (${p.multiRegion === true ? 'all regions' : 'its home region only'}, to bucket ${s(p, 's3Bucket')})`,
  keep: ['multiRegion', 's3Bucket'],
  expect: () => ({ logging: false }),
  endState: () => ({ logging: [true] }),
  needed: (r) => r.props.logging === false,
  permissions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'cloudtrail:StartLogging', 'cloudtrail:StopLogging'],
  executor: () => import('../apply/executors/startTrailLogging.js').then((m) => m.executor),
};
