/**
 * For the executors' unit tests: an ExecContext whose clients aws-sdk-client-mock
 * intercepts, plan steps, and the calls a mock saw as one line each, in order.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { ExecContext } from '../../../../src/apply/executor.js';
import type { AwsClients } from '../../../../src/aws/clients.js';
import type { StepAction } from '../../../../src/model/action.js';
import type { PlanStep, StepTarget } from '../../../../src/model/plan.js';
import { ACCOUNT } from '../../../helpers/resources.js';

export { ACCOUNT };
export const NOW = new Date('2026-11-22T12:00:00Z');

/** A context with one client per service (the mocks replace `send` on every instance), collecting log lines in `logs`. */
export function context(): ExecContext & { logs: string[]; intents: unknown[] } {
  const logs: string[] = [];
  const intents: unknown[] = [];
  const iam = new IAMClient({ region: 'us-east-1' });
  const ec2 = new Map<string, EC2Client>();
  const lambda = new Map<string, LambdaClient>();
  const clients = {
    iam: () => iam,
    ec2: (region: string) => ec2.get(region) ?? ec2.set(region, new EC2Client({ region })).get(region)!,
    lambda: (region: string) => lambda.get(region) ?? lambda.set(region, new LambdaClient({ region })).get(region)!,
  } as unknown as AwsClients;
  return { clients, accountId: ACCOUNT, now: NOW, secretsDir: '/nonexistent', log: (m) => logs.push(m), logs, intend: (undo) => intents.push(undo ?? null), intents };
}

export function step(action: StepAction, target: Partial<StepTarget> & Pick<StepTarget, 'type' | 'id'>): PlanStep {
  const full: StepTarget = { region: 'global', ref: {}, subject: `${target.type}/${target.id}`, ...target };
  return {
    id: `${action} ${full.subject}`,
    action,
    target: full,
    description: action,
    because: [],
    dependsOn: [],
    precondition: { exists: true, props: {} },
    reversible: false,
    destructive: true,
  };
}

/**
 * Each call the mock saw, as `Operation value value...`: the command's name
 * without `Command`, then its input's values, leaving out paging (MaxItems,
 * MaxResults, Marker, NextToken) so lists read the same on any page.
 */
export function trace(mock: AwsStub<any, any, any>): string[] {
  const paging = new Set(['MaxItems', 'MaxResults', 'Marker', 'NextToken']);
  return mock.calls().map((c) => {
    const command = c.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
    const values = Object.entries(command.input)
      .filter(([k]) => !paging.has(k))
      .map(([, v]) => (Array.isArray(v) ? v.join(',') : String(v)));
    return [command.constructor.name.replace(/Command$/, ''), ...values].join(' ');
  });
}

/** Every one of `commands` answers `{}` (the answer of a delete, or an empty list). */
export function answerEmpty(mock: AwsStub<any, any, any>, ...commands: unknown[]): void {
  for (const command of commands) mock.on(command as never).resolves({});
}
