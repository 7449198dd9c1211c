import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients.js';
import { AwsFailure } from '../errors.js';
import { INVENTORY_FORMAT, type CallerIdentity, type Inventory } from '../model/inventory.js';
import { redact } from '../redact.js';
import { collectIam } from './iam.js';

export interface CollectOptions {
  now: Date;
  log?: (message: string) => void;
}

/** Who the credentials belong to. Without this nothing else is meaningful, so failure is fatal. */
export async function callerIdentity(clients: AwsClients): Promise<CallerIdentity> {
  try {
    const id = await clients.sts().send(new GetCallerIdentityCommand({}));
    if (!id.Account || !id.Arn || !id.UserId) throw new Error('GetCallerIdentity returned no account');
    return { account: id.Account, arn: id.Arn, userId: id.UserId };
  } catch (err) {
    const e = err as Error;
    throw new AwsFailure(`cannot identify the AWS account (sts:GetCallerIdentity): ${e.name}: ${redact(e.message)}`);
  }
}

/** Builds the live inventory: the caller, then every collector. Collectors turn failures into gaps. */
export async function collectInventory(clients: AwsClients, options: CollectOptions, caller?: CallerIdentity): Promise<Inventory> {
  const log = options.log ?? (() => {});
  const who = caller ?? (await callerIdentity(clients));
  log(`account ${who.account} as ${who.arn}`);
  const iam = await collectIam(clients.iam(), { accountId: who.account, now: options.now, log });
  log(`IAM: ${iam.resources.length} resources, ${iam.gaps.length} gaps`);
  return {
    format: INVENTORY_FORMAT,
    accountId: who.account,
    caller: who,
    collectedAt: options.now.toISOString(),
    regions: ['global'],
    resources: iam.resources,
    gaps: iam.gaps,
    notes: iam.notes,
    apiCalls: clients.counter.snapshot(),
  };
}
