/** Who the credentials belong to (sts:GetCallerIdentity): the collector's first question, and apply's and undo's. */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients.js';
import { AwsFailure } from '../errors.js';
import type { CallerIdentity } from '../model/inventory.js';
import { redact } from '../redact.js';

/** Without this nothing else is meaningful, so failure is fatal. */
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
