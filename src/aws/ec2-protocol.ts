/**
 * The EC2 client's protocol, with the two answers that can run to megabytes
 * (DescribeInstances, DescribeSpotInstanceRequests) read through projections:
 * only the members rollcall's mappings use are built, while the body streams
 * in. Everything else (other operations, every error) is the SDK's own
 * deserialisation. The *Fields types are the contract: the mappings in
 * answers/ec2.ts take them, so a mapping that reads a member the projection
 * does not fill does not compile, and a test compares both readings of the
 * same emulator answers.
 */
import type { IamInstanceProfile, Instance, InstanceState, SpotInstanceRequest, SpotInstanceState, SpotInstanceStatus, LaunchSpecification } from '@aws-sdk/client-ec2';
import { AwsEc2QueryProtocol } from '@aws-sdk/core/protocols';
import type { HandlerExecutionContext, HttpResponse, MetadataBearer, OperationSchema, SerdeFunctions } from '@smithy/types';
import { list, readProjected, struct, text, timestamp, type Body, type Projection } from './xml-projection.js';

/** An instance as DescribeInstances is projected. */
export type InstanceFields = Pick<
  Instance,
  | 'InstanceId'
  | 'ImageId'
  | 'InstanceType'
  | 'LaunchTime'
  | 'KeyName'
  | 'InstanceLifecycle'
  | 'SpotInstanceRequestId'
  | 'VpcId'
  | 'SubnetId'
  | 'PublicIpAddress'
  | 'PrivateIpAddress'
  | 'Tags'
> & { State?: Pick<InstanceState, 'Name'>; IamInstanceProfile?: Pick<IamInstanceProfile, 'Arn'> };

/** A spot instance request as DescribeSpotInstanceRequests is projected. */
export type SpotRequestFields = Pick<SpotInstanceRequest, 'SpotInstanceRequestId' | 'Type' | 'InstanceId' | 'SpotPrice' | 'CreateTime' | 'Tags'> & {
  State?: SpotInstanceState;
  Status?: Pick<SpotInstanceStatus, 'Code'>;
  LaunchSpecification?: Pick<LaunchSpecification, 'InstanceType' | 'ImageId' | 'KeyName'> & { IamInstanceProfile?: Pick<IamInstanceProfile, 'Arn'> };
};

const tags = list('Tags', { key: text('Key'), value: text('Value') });
const profile = struct('IamInstanceProfile', { arn: text('Arn') });

/** Element names are the EC2 API's wire names (ipAddress is PublicIpAddress). */
const INSTANCE: Projection = {
  instanceId: text('InstanceId'),
  imageId: text('ImageId'),
  instanceState: struct('State', { name: text('Name') }),
  instanceType: text('InstanceType'),
  launchTime: timestamp('LaunchTime'),
  keyName: text('KeyName'),
  iamInstanceProfile: profile,
  instanceLifecycle: text('InstanceLifecycle'),
  spotInstanceRequestId: text('SpotInstanceRequestId'),
  vpcId: text('VpcId'),
  subnetId: text('SubnetId'),
  ipAddress: text('PublicIpAddress'),
  privateIpAddress: text('PrivateIpAddress'),
  tagSet: tags,
};

const SPOT_REQUEST: Projection = {
  spotInstanceRequestId: text('SpotInstanceRequestId'),
  state: text('State'),
  status: struct('Status', { code: text('Code') }),
  type: text('Type'),
  instanceId: text('InstanceId'),
  spotPrice: text('SpotPrice'),
  launchSpecification: struct('LaunchSpecification', {
    instanceType: text('InstanceType'),
    imageId: text('ImageId'),
    keyName: text('KeyName'),
    iamInstanceProfile: profile,
  }),
  createTime: timestamp('CreateTime'),
  tagSet: tags,
};

/** Operation name -> the projection of its whole answer, rooted at the document element. */
export const EC2_PROJECTIONS: Readonly<Record<string, Projection>> = {
  DescribeInstances: {
    DescribeInstancesResponse: struct(null, {
      reservationSet: list('Reservations', { instancesSet: list('Instances', INSTANCE) }),
      nextToken: text('NextToken'),
    }),
  },
  DescribeSpotInstanceRequests: {
    DescribeSpotInstanceRequestsResponse: struct(null, {
      spotInstanceRequestSet: list('SpotInstanceRequests', SPOT_REQUEST),
      nextToken: text('NextToken'),
    }),
  },
};

/** Pass as the EC2 client's `protocol`; the client builds it with its own settings. */
export class ProjectingEc2Protocol extends AwsEc2QueryProtocol {
  override async deserializeResponse<Output extends MetadataBearer>(
    operationSchema: OperationSchema,
    context: HandlerExecutionContext & SerdeFunctions,
    response: HttpResponse,
  ): Promise<Output> {
    const projection = response.statusCode < 300 ? EC2_PROJECTIONS[operationSchema.name] : undefined;
    if (!projection || response.body == null) return super.deserializeResponse<Output>(operationSchema, context, response);
    const output = await readProjected(response.body as Body, projection);
    return { ...output, $metadata: this.deserializeMetadata(response) } as unknown as Output;
  }
}
