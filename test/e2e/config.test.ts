/**
 * AWS Config through the built CLI on the emulator: `rollcall audit --config`
 * checks each region's recorder (a region without one is a gap said in the
 * report, its Config rules unknown: never a pass); a baseline that
 * declares config.resource audited without Config says Config was not read;
 * --config with --config-aggregator, or a bad aggregator name, is bad input
 * (exit 2, nothing collected).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { EXIT } from '../../src/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { resetEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';

async function startRecorder(region: string): Promise<void> {
  const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region });
  try {
    const config = clients.config(region);
    await config.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: 'arn:aws:iam::123456789012:role/config', recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } } }));
    await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-bucket' } }));
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
  } finally {
    clients.destroy();
  }
}

describe('rollcall audit --config', () => {
  beforeEach(resetEmulator);

  it('a region with no recorder is a gap in the report; without --config, a baseline declaring Config resources says Config was not read', async () => {
    await startRecorder('us-east-1');
    const dir = tempDir('rollcall-config-e2e-');
    const baseline = path.join(dir, 'baseline.yaml');
    writeFileSync(baseline, 'version: 1\naccount: { id: "123456789012" }\nresources:\n  config.resource:\n    - { configType: "AWS::EC2::*" }\n');

    const withConfig = await runCli(['audit', '-q', '-b', baseline, '--regions', 'us-east-1,eu-west-1', '--config']);
    expect(withConfig.stderr).toBe('');
    // Never a pass: unknown Config rules (4), or other findings on the emulator's account (1).
    expect([EXIT.incomplete, 1]).toContain(withConfig.code);
    expect(withConfig.stdout).toContain('no AWS Config recorder in eu-west-1: Config knows nothing of it');
    expect(withConfig.stdout).toMatch(/config-resource-type-undeclared\*\* \([a-z]+\) on `configType\/eu-west-1\/\*`/);

    const without = await runCli(['audit', '-q', '-b', baseline, '--regions', 'us-east-1']);
    expect(without.code).toBe(withConfig.code);
    expect(without.stdout).toContain('AWS Config was not read: collect with --config or --config-aggregator NAME');
  });

  it('--config with --config-aggregator, or an aggregator name AWS would refuse, is bad input', async () => {
    const dir = tempDir('rollcall-config-e2e-');
    const baseline = path.join(dir, 'baseline.yaml');
    writeFileSync(baseline, 'version: 1\naccount: { id: "123456789012" }\n');
    const both = await runCli(['audit', '-q', '-b', baseline, '--config', '--config-aggregator', 'org']);
    expect(both.code).toBe(EXIT.badInput);
    expect(both.stderr).toContain('--config: give --config');
    const bad = await runCli(['audit', '-q', '-b', baseline, '--config-aggregator', "org' OR 1=1"]);
    expect(bad.code).toBe(EXIT.badInput);
    expect(bad.stderr).toContain('not an AWS Config aggregator name');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const trustedAlone = await runCli(['audit', '-q', '-b', baseline, '--config-aggregator-trusted']);
    expect(trustedAlone.code).toBe(EXIT.badInput);
    expect(trustedAlone.stderr).toContain('--config-aggregator-trusted: accepts the coverage of an aggregator: give it with --config-aggregator NAME');
  });
});
