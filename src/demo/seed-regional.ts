import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { CreateKeyPairCommand, RequestSpotInstancesCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/**
 * The regional half of the demo account: the web fleet and the orders function
 * that baselines/example.yaml declares, then what an intruder runs: miners in
 * a region nobody uses, a persistent spot request, a function acting as the
 * backdoor role, and instances that copy the web fleet's tags to blend in.
 */
export interface RegionalClients {
  iam: IAMClient;
  ec2(region: string): EC2Client;
  lambda(region: string): LambdaClient;
}

const AMI = 'ami-12c6146b';
/** An empty zip archive: the emulator stores the code, it never runs it. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
const lambdaTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

async function instanceProfile(iam: IAMClient, name: string, role: string): Promise<void> {
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: role }));
}

/** One instance per call: the emulator gives the instance profile only to the first instance of a batch. */
async function run(ec2: EC2Client, count: number, type: string, tagMap: Record<string, string>, profile: string, keyName?: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: type as never,
        MinCount: 1,
        MaxCount: 1,
        IamInstanceProfile: { Name: profile },
        ...(keyName ? { KeyName: keyName } : {}),
        TagSpecifications: [{ ResourceType: 'instance', Tags: tags(tagMap) }],
      }),
    );
  }
}

/** Needs the IAM part seeded first (roles app-ec2 and support-audit). */
export async function seedRegionalLegitimate(c: RegionalClients, accountId: string): Promise<void> {
  await instanceProfile(c.iam, 'app-ec2', 'app-ec2');
  await run(c.ec2('us-east-1'), 2, 't3.large', { team: 'web', Name: 'web' }, 'app-ec2');
  const role = await c.iam.send(new CreateRoleCommand({ RoleName: 'orders-lambda', AssumeRolePolicyDocument: lambdaTrust }));
  await c.lambda('eu-west-1').send(
    new CreateFunctionCommand({ FunctionName: 'orders-api', Runtime: 'nodejs20.x', Role: role.Role?.Arn ?? `arn:aws:iam::${accountId}:role/orders-lambda`, Handler: 'index.handler', Code: { ZipFile: EMPTY_ZIP } }),
  );
}

export async function seedRegionalCompromise(c: RegionalClients, accountId: string): Promise<void> {
  await seedRegionalLegitimate(c, accountId);
  await instanceProfile(c.iam, 'support-audit', 'support-audit');
  const far = c.ec2('ap-south-1');
  await far.send(new CreateKeyPairCommand({ KeyName: 'ops-backup' }));
  await run(far, 3, 'p3.16xlarge', { Name: 'kworker' }, 'support-audit', 'ops-backup');
  await run(c.ec2('us-east-1'), 3, 'g5.12xlarge', { team: 'web', Name: 'web' }, 'app-ec2');
  await c.ec2('sa-east-1').send(
    new RequestSpotInstancesCommand({ InstanceCount: 1, Type: 'persistent', SpotPrice: '3.00', LaunchSpecification: { ImageId: AMI, InstanceType: 'p3.8xlarge' } }),
  );
  await c.lambda('us-east-1').send(
    new CreateFunctionCommand({
      FunctionName: 'sys-update-check',
      Runtime: 'python3.12',
      Role: `arn:aws:iam::${accountId}:role/support-audit`,
      Handler: 'main.handler',
      Code: { ZipFile: EMPTY_ZIP },
    }),
  );
}
