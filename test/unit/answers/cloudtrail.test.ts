/** CloudTrail's answers mapped: which management events selectors record, and a trail and the account summary as resources. */
import { describe, expect, it } from 'vitest';
import { cloudTrailAccount, managementEvents, trailResource } from '../../../src/answers/cloudtrail.js';
import { ACCOUNT } from '../../helpers/resources.js';

const category = (value: string) => ({ Field: 'eventCategory', Equals: [value] });

describe('managementEvents', () => {
  it.each([
    ['no selector at all', {}, { read: false, write: false, advanced: false }],
    ['classic, defaults (All, management included)', { EventSelectors: [{}] }, { read: true, write: true, advanced: false }],
    ['classic ReadOnly', { EventSelectors: [{ ReadWriteType: 'ReadOnly' as const }] }, { read: true, write: false, advanced: false }],
    ['classic WriteOnly', { EventSelectors: [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true }] }, { read: false, write: true, advanced: false }],
    ['classic, ReadOnly and WriteOnly selectors together', { EventSelectors: [{ ReadWriteType: 'ReadOnly' as const }, { ReadWriteType: 'WriteOnly' as const }] }, { read: true, write: true, advanced: false }],
    ['classic, data events only', { EventSelectors: [{ ReadWriteType: 'All' as const, IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] }, { read: false, write: false, advanced: false }],
    ['advanced, management events', { AdvancedEventSelectors: [{ FieldSelectors: [category('Management')] }] }, { read: true, write: true, advanced: true }],
    ['advanced, management reads only', { AdvancedEventSelectors: [{ FieldSelectors: [category('Management'), { Field: 'readOnly', Equals: ['true'] }] }] }, { read: true, write: false, advanced: true }],
    ['advanced, management writes only (NotEquals true)', { AdvancedEventSelectors: [{ FieldSelectors: [category('Management'), { Field: 'readOnly', NotEquals: ['true'] }] }] }, { read: false, write: true, advanced: true }],
    ['advanced, data events only', { AdvancedEventSelectors: [{ FieldSelectors: [category('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }] }, { read: false, write: false, advanced: true }],
    [
      'advanced win over classic ones in the same answer',
      { EventSelectors: [{ ReadWriteType: 'All' as const }], AdvancedEventSelectors: [{ FieldSelectors: [category('Data')] }] },
      { read: false, write: false, advanced: true },
    ],
  ])('%s', (_name, answer, expected) => {
    expect(managementEvents(answer)).toEqual(expected);
  });
});

describe('trailResource and cloudTrailAccount', () => {
  const ORG_ARN = 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org';

  it('maps a trail, in its home region, named by its name, with dates as ISO strings', () => {
    const r = trailResource(
      ACCOUNT,
      { Name: 'org', TrailARN: ORG_ARN, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, IncludeGlobalServiceEvents: true, S3BucketName: 'org-logs', S3KeyPrefix: 'p', LogFileValidationEnabled: true },
      { IsLogging: false, StartLoggingTime: new Date('2026-10-01T00:00:00Z'), StopLoggingTime: new Date('2026-11-03T10:00:00Z') },
      { EventSelectors: [{ ReadWriteType: 'All' }] },
    );
    expect(r).toEqual({
      type: 'cloudtrail.trail',
      id: 'org',
      arn: ORG_ARN,
      region: 'us-east-1',
      accountId: ACCOUNT,
      tags: {},
      props: {
        name: 'org',
        homeRegion: 'us-east-1',
        multiRegion: true,
        organizationTrail: true,
        ownerAccountId: '999999999999',
        includeGlobalServiceEvents: true,
        logging: false,
        startLoggingTime: '2026-10-01T00:00:00.000Z',
        stopLoggingTime: '2026-11-03T10:00:00.000Z',
        managementEventsRead: true,
        managementEventsWrite: true,
        advancedEventSelectors: false,
        s3Bucket: 'org-logs',
        s3KeyPrefix: 'p',
        logFileValidation: true,
      },
    });
  });

  it('a trail without a home region in its answer takes its ARN region; absent values are null or false', () => {
    const r = trailResource(ACCOUNT, { Name: 't', TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/t` }, {}, {});
    expect(r.region).toBe('eu-west-1');
    expect(r.props).toMatchObject({ logging: false, multiRegion: false, startLoggingTime: null, stopLoggingTime: null, s3Bucket: null, managementEventsRead: false, ownerAccountId: ACCOUNT });
  });

  it('the account summary lists the multi-region trails, and those logging every management event', () => {
    const t = (name: string, multi: boolean, logging: boolean, rw: 'All' | 'WriteOnly' = 'All') =>
      trailResource(ACCOUNT, { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`, IsMultiRegionTrail: multi }, { IsLogging: logging }, { EventSelectors: [{ ReadWriteType: rw }] });
    const summary = cloudTrailAccount(ACCOUNT, [t('z-main', true, true), t('a-stopped', true, false), t('local', false, true), t('writes', true, true, 'WriteOnly')]);
    expect(summary).toEqual({
      type: 'account.cloudtrail',
      id: 'account',
      region: 'global',
      accountId: ACCOUNT,
      tags: {},
      props: {
        trails: 4,
        multiRegionTrails: ['a-stopped', 'writes', 'z-main'].map((n) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${n}`),
        loggingMultiRegionTrails: [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/z-main`],
      },
    });
  });
});
