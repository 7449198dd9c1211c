/**
 * The resource-type registry (src/model/resource-types/) against everything
 * that must agree with it: the collectors (named, wired, and what they really
 * yield), the JSON Schemas' enums and the baseline's `resources` section, and
 * the model's own tables. Actions' target types are checked in
 * test/unit/actions/registry.test.ts, the schemas' action enums in
 * test/unit/load/schemas.test.ts.
 */
import { DescribeInstancesCommand, DescribeSpotFleetRequestsCommand, DescribeSpotInstanceRequestsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { readFileSync, writeFileSync } from 'node:fs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../../src/aws/clients.js';
import { COLLECTOR_TYPES, REGIONAL, REGIONAL_COLLECTORS, type RegionalCollectorName } from '../../../src/collect/collectors.js';
import { schemaFile, type SchemaKind } from '../../../src/load/schemas.js';
import { parseArn } from '../../../src/answers/arn.js';
import { SELECTOR_FIELDS, type ResourceDescriptor } from '../../../src/model/resource-types/descriptor.js';
import { REGIONAL_SERVICE_NAMES, SELECTABLE_TYPES } from '../../../src/model/resource-types/index.js';
import { RESOURCE_TYPE_NAMES, RESOURCE_TYPES, subjectOf, TERMINAL_STATES, type ResourceType } from '../../../src/model/resource.js';
import { REGIONAL_SERVICES } from '../../../src/progress/events.js';
import { ACCOUNT } from '../../helpers/regional.js';
import { withRegistryEnums, withRegistrySelectors } from '../../helpers/schema-types.js';

type Schema = Record<string, unknown>;
const read = (kind: SchemaKind): Schema => JSON.parse(readFileSync(schemaFile(kind), 'utf8')) as Schema;

/** Every `enum` of a schema, with the JSON pointer where it sits. */
function* enums(s: unknown, at = ''): Generator<[string, unknown[]]> {
  if (Array.isArray(s)) {
    for (const [i, v] of s.entries()) yield* enums(v, `${at}/${i}`);
  } else if (typeof s === 'object' && s !== null) {
    for (const [k, v] of Object.entries(s)) {
      if (k === 'enum' && Array.isArray(v)) yield [at, v];
      else yield* enums(v, `${at}/${k}`);
    }
  }
}

const collectorNames = Object.keys(COLLECTOR_TYPES) as (keyof typeof COLLECTOR_TYPES)[];

describe('resource-type registry: collectors', () => {
  it.each(RESOURCE_TYPE_NAMES)('%s is yielded by the collector its descriptor names, and by no other', (type) => {
    const named = RESOURCE_TYPES[type].collector;
    expect(collectorNames).toContain(named);
    expect(collectorNames.filter((c) => COLLECTOR_TYPES[c].includes(type))).toEqual([named]);
  });

  it('every type a collector yields is in the registry, under that collector', () => {
    for (const name of collectorNames) {
      for (const type of COLLECTOR_TYPES[name]) expect([type, RESOURCE_TYPES[type].collector]).toEqual([type, name]);
    }
  });

  it('the IAM collector yields global types of the iam service', () => {
    for (const type of COLLECTOR_TYPES.iam) expect(RESOURCE_TYPES[type]).toMatchObject({ service: 'iam', global: true });
  });

  it('every regional collector is run under one regional service, and yields regional types of that service', () => {
    const wired = Object.entries(REGIONAL).flatMap(([service, w]) => [...w.now, ...(w.afterRoles ? [w.afterRoles.collector] : [])].map((name) => [name, service] as const));
    expect(wired.map(([name]) => name).sort()).toEqual(Object.keys(REGIONAL_COLLECTORS).sort());
    for (const [name, service] of wired) {
      for (const type of REGIONAL_COLLECTORS[name].types) expect([type, RESOURCE_TYPES[type]]).toMatchObject([type, { service, global: false }]);
    }
  });

  it('the services collected in every region are the registry regional services, in its order', () => {
    expect([...REGIONAL_SERVICES]).toEqual(REGIONAL_SERVICE_NAMES);
  });

  describe('what each regional collector really yields', () => {
    const ec2 = mockClient(EC2Client);
    const lambda = mockClient(LambdaClient);
    const tagging = mockClient(ResourceGroupsTaggingAPIClient);
    afterAll(() => {
      ec2.restore();
      lambda.restore();
      tagging.restore();
    });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1', InstanceType: 't3.micro', State: { Code: 16, Name: 'running' }, LaunchTime: new Date('2026-11-01T08:00:00Z') }] }] });
    ec2.on(DescribeSpotInstanceRequestsCommand).resolves({ SpotInstanceRequests: [{ SpotInstanceRequestId: 'sir-1', State: 'open', Type: 'one-time' }] });
    ec2.on(DescribeSpotFleetRequestsCommand).resolves({ SpotFleetRequestConfigs: [{ SpotFleetRequestId: 'sfr-1', SpotFleetRequestState: 'active', SpotFleetRequestConfig: { IamFleetRole: 'arn:r', TargetCapacity: 1 } }] });
    lambda.on(ListFunctionsCommand).resolves({ Functions: [{ FunctionName: 'fn', FunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:fn` }] });
    tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [{ ResourceARN: 'arn:aws:s3:::bucket', Tags: [{ Key: 'team', Value: 'web' }] }] });

    it.each(Object.keys(REGIONAL_COLLECTORS) as RegionalCollectorName[])('%s', async (name) => {
      const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'eu-west-1' });
      const { resources, gaps } = await REGIONAL_COLLECTORS[name].collect(clients, { accountId: ACCOUNT, region: 'eu-west-1', now: new Date('2026-11-22T12:00:00Z') });
      expect(gaps).toEqual([]);
      expect([...new Set(resources.map((r) => r.type))].sort()).toEqual([...COLLECTOR_TYPES[name]].sort());
      // The join drops the Tagging API's copy of a resource by the kind its ARN carries.
      for (const r of resources) {
        const d: ResourceDescriptor = RESOURCE_TYPES[r.type];
        const arn = parseArn(r.arn ?? '');
        if (d.taggedAs !== undefined) expect([r.type, `${arn?.service}:${arn?.resourceType}`]).toEqual([r.type, d.taggedAs]);
      }
    });
  });
});

describe('resource-type registry: schemas', () => {
  it.each(['rule', 'inventory', 'plan', 'baseline', 'report'] as SchemaKind[])('%s: its resource-type enums (and the baseline its resources section) are made from the registry', (kind) => {
    const text = readFileSync(schemaFile(kind), 'utf8');
    const made = kind === 'baseline' ? withRegistrySelectors(withRegistryEnums(text)) : withRegistryEnums(text);
    // After adding a resource type: ROLLCALL_WRITE_SCHEMAS=1 npx vitest run --project unit test/unit/model/resource-types.test.ts
    if (process.env.ROLLCALL_WRITE_SCHEMAS === '1') writeFileSync(schemaFile(kind), made);
    else expect(text).toBe(made);
  });

  it.each(['rule', 'inventory', 'plan', 'baseline', 'report'] as SchemaKind[])('%s: every enum that names a resource type names all of them, in the registry order', (kind) => {
    const found = [...enums(read(kind))].filter(([, values]) => values.some((v) => typeof v === 'string' && Object.hasOwn(RESOURCE_TYPES, v)));
    if (kind !== 'baseline') expect(found.length).toBeGreaterThan(0);
    for (const [at, values] of found) expect([at, values]).toEqual([at, RESOURCE_TYPE_NAMES]);
  });

  it('baseline: `resources` has a list of selectors for exactly the selectable types, in the registry order', () => {
    const resources = (read('baseline').properties as Record<string, Schema>).resources!;
    expect(Object.keys(resources.properties as Schema)).toEqual(SELECTABLE_TYPES);
    for (const [t, s] of Object.entries(resources.properties as Record<string, Schema>)) {
      const ref = (RESOURCE_TYPES[t as ResourceType] as ResourceDescriptor).selectorRef;
      expect([t, s.items]).toEqual([t, { $ref: `#/$defs/${ref ?? 'selector'}` }]);
    }
  });

  it('baseline: the section each descriptor names exists in the schema', () => {
    const top = Object.keys(read('baseline').properties as Schema);
    for (const type of RESOURCE_TYPE_NAMES) {
      const section = RESOURCE_TYPES[type].baseline;
      if (section !== null) expect([type, top]).toEqual([type, expect.arrayContaining([section.split('.')[0]])]);
    }
  });
});

describe('resource-type registry: descriptors', () => {
  it('subject prefixes are distinct, so a subject names one type', () => {
    const prefixes = RESOURCE_TYPE_NAMES.map((t) => RESOURCE_TYPES[t].prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('subjects: global types without a region, regional ones with it', () => {
    expect(subjectOf('iam.user', 'alice', 'global')).toBe('user/alice');
    expect(subjectOf('ec2.instance', 'i-0abc', 'us-east-1')).toBe('instance/us-east-1/i-0abc');
  });

  it('a type is declared by selectors exactly when its baseline section is `resources`; a type no baseline declares has no declared fields', () => {
    for (const type of RESOURCE_TYPE_NAMES) {
      const d = RESOURCE_TYPES[type];
      expect([type, d.declared === SELECTOR_FIELDS]).toEqual([type, d.baseline === 'resources']);
      expect([type, Object.keys(d.declared).length === 0]).toEqual([type, d.baseline === null]);
    }
    expect(SELECTABLE_TYPES.every((t) => !RESOURCE_TYPES[t].global)).toBe(true);
  });

  it('a type declared by selectors says what its list holds, and only such a type', () => {
    for (const type of RESOURCE_TYPE_NAMES) {
      const d: ResourceDescriptor = RESOURCE_TYPES[type];
      expect([type, typeof d.selectorsDoc === 'string' && d.selectorsDoc.length > 0]).toEqual([type, d.baseline === 'resources']);
    }
  });

  it('terminal states belong to types with a `state` prop', () => {
    for (const type of Object.keys(TERMINAL_STATES) as ResourceType[]) expect([type, RESOURCE_TYPES[type].props]).toMatchObject([type, { state: 'value' }]);
  });

  it('the ARN kind the Tagging API copy of a type carries is given only for regional types another collector lists, once each', () => {
    const tagged = RESOURCE_TYPE_NAMES.flatMap((t) => {
      const d = RESOURCE_TYPES[t];
      return 'taggedAs' in d ? [[t, d] as const] : [];
    });
    for (const [type, d] of tagged) {
      expect([type, d.global, d.collector]).toEqual([type, false, expect.not.stringMatching(/^tagging$/)]);
      expect(d.taggedAs.startsWith(`${d.service}:`)).toBe(true);
    }
    expect(new Set(tagged.map(([, d]) => d.taggedAs)).size).toBe(tagged.length);
  });
});
