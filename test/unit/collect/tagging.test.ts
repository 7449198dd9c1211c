import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RegionalContext } from '../../../src/answers/regional.js';
import { collectTagged } from '../../../src/collect/tagging.js';
import { ACCOUNT, awsError, regional, SECRET_LIKE, servePages } from '../../helpers/regional.js';

const REGION = 'eu-west-1';
const CTX: RegionalContext = { accountId: ACCOUNT, region: REGION, now: new Date('2026-11-22T12:00:00Z') };
const VOLUME = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-1`;
const FUNCTION = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs`;
const BUCKET = 'arn:aws:s3:::audit-logs';

const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const client = () => new ResourceGroupsTaggingAPIClient({ region: REGION });
const mapping = (arn: string, tags: Record<string, string> = { team: 'x' }) => ({ ResourceARN: arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });

beforeEach(() => {
  tagging.reset();
});

describe('collectTagged', () => {
  it('reads every page, 100 a page, following PaginationToken until it comes back empty', async () => {
    const seen = servePages(tagging.on(GetResourcesCommand), [
      { ResourceTagMappingList: [mapping(VOLUME), mapping(QUEUE)], PaginationToken: 'p2' },
      { ResourceTagMappingList: [mapping(FUNCTION)], PaginationToken: 'p3' },
      { ResourceTagMappingList: [mapping(BUCKET)], PaginationToken: '' },
    ]);
    const { resources, gaps } = await collectTagged(client(), CTX);
    expect(gaps).toEqual([]);
    expect(seen).toEqual([
      { ResourcesPerPage: 100, PaginationToken: undefined },
      { ResourcesPerPage: 100, PaginationToken: 'p2' },
      { ResourcesPerPage: 100, PaginationToken: 'p3' },
    ]);
    expect(resources.map((r) => r.id)).toEqual([VOLUME, FUNCTION, BUCKET, QUEUE]); // sorted by ARN
  });

  it('maps each ARN to one tagged.resource with its tags and its service, type and name', async () => {
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        mapping(VOLUME, { Name: 'data', team: 'db' }),
        mapping(FUNCTION, {}),
        mapping(QUEUE),
        mapping(BUCKET),
        mapping('garbage'),
        { Tags: [{ Key: 'orphan', Value: 'no arn' }] },
      ],
    });
    const { resources } = await collectTagged(client(), CTX);
    expect(resources.find((r) => r.id === VOLUME)).toEqual(
      regional('tagged.resource', VOLUME, VOLUME, REGION, { Name: 'data', team: 'db' }, { service: 'ec2', resourceType: 'volume', name: 'vol-1' }),
    );
    expect(resources.map((r) => [r.id, r.tags, r.props])).toEqual([
      [VOLUME, { Name: 'data', team: 'db' }, { service: 'ec2', resourceType: 'volume', name: 'vol-1' }],
      [FUNCTION, {}, { service: 'lambda', resourceType: 'function', name: 'orders' }],
      [BUCKET, { team: 'x' }, { service: 's3', resourceType: '', name: 'audit-logs' }],
      [QUEUE, { team: 'x' }, { service: 'sqs', resourceType: '', name: 'jobs' }],
      ['garbage', { team: 'x' }, { service: '', resourceType: '', name: 'garbage' }],
    ]);
    for (const r of resources) expect([r.region, r.accountId, r.arn]).toEqual([REGION, ACCOUNT, r.id]);
  });

  it('keeps one resource per ARN when pages repeat one', async () => {
    servePages(tagging.on(GetResourcesCommand), [
      { ResourceTagMappingList: [mapping(VOLUME, { v: '1' })], PaginationToken: 'p2' },
      { ResourceTagMappingList: [mapping(VOLUME, { v: '2' })] },
    ]);
    const { resources } = await collectTagged(client(), CTX);
    expect(resources.map((r) => [r.id, r.tags])).toEqual([[VOLUME, { v: '2' }]]);
  });

  it('turns AccessDeniedException into a gap for tagged.resource, with the message redacted', async () => {
    tagging.on(GetResourcesCommand).rejects(awsError('AccessDeniedException', `not authorized to perform: tag:GetResources ${SECRET_LIKE}`));
    expect(await collectTagged(client(), CTX)).toEqual({
      resources: [],
      gaps: [
        {
          type: 'tagged.resource',
          region: REGION,
          operation: 'tag:GetResources',
          code: 'AccessDeniedException',
          message: 'not authorized to perform: tag:GetResources [redacted]',
        },
      ],
    });
  });

  it('returns no resource at all when page 2 fails', async () => {
    servePages(tagging.on(GetResourcesCommand), [
      { ResourceTagMappingList: [mapping(VOLUME), mapping(QUEUE)], PaginationToken: 'p2' },
      awsError('PaginationTokenExpiredException', 'Token does not exist', 400),
    ]);
    const { resources, gaps } = await collectTagged(client(), CTX);
    expect(resources).toEqual([]);
    expect(gaps.map((g) => [g.type, g.region, g.operation, g.code])).toEqual([['tagged.resource', REGION, 'tag:GetResources', 'PaginationTokenExpiredException']]);
  });
});
