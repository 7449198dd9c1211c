/**
 * What a collector asked for, as opposed to what the network made of it.
 * rollcall's CallCounter counts attempts on the wire (retries included), which
 * is right for the report but not for a test: on a loaded machine the emulator
 * answers slowly, a request times out and is sent again, and an exact total of
 * attempts changes. These counters record each request once, whatever its
 * retries (in the initialize step, before the retry loop), and the attempts
 * per region, for the tests about what a failing endpoint costs.
 */
import { AwsClients } from '../../src/aws/clients.js';
import { CallCounter } from '../../src/aws/call-counter.js';

interface Stack {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize' | 'deserialize'; name: string; priority?: 'low' | 'normal' | 'high' },
  ): void;
}

const operation = (context: { commandName?: string }) => (context.commandName ?? 'Unknown').replace(/Command$/, '');

/** Counts each request `client` is asked to send once, as `prefix:Operation`, however many attempts it takes. */
export function countRequests(client: { middlewareStack: unknown }, prefix: string, counter: CallCounter, name = 'testRequestCounter'): void {
  (client.middlewareStack as Stack).add(
    (next, context) => async (args) => {
      counter.record(prefix, operation(context));
      return next(args);
    },
    { step: 'initialize', name, priority: 'high' },
  );
}

/** Counts each attempt on the wire, as rollcall's own counter does (in the deserialize step, inside the retry loop). */
function countAttempts(client: { middlewareStack: unknown }, prefix: string, counter: CallCounter): void {
  (client.middlewareStack as Stack).add(
    (next, context) => async (args) => {
      counter.record(prefix, operation(context));
      return next(args);
    },
    { step: 'deserialize', name: 'testAttemptCounter', priority: 'low' },
  );
}

/**
 * AwsClients whose clients also count requests (`requests`, by operation, and
 * `requestsIn`, by region) and attempts by region (`attemptsIn`).
 */
export class CountingClients extends AwsClients {
  /** Requests by `prefix:Operation`: one per page asked for, retries left out. */
  readonly requests = new CallCounter();
  /** Requests by `region prefix:Operation`. */
  readonly requestsByRegion = new CallCounter();
  /** Attempts on the wire by `region prefix:Operation`, retries included. */
  readonly attemptsByRegion = new CallCounter();
  private readonly watched = new WeakSet<object>();

  private watch<T extends { middlewareStack: unknown }>(client: T, prefix: string, region: string): T {
    if (this.watched.has(client)) return client;
    this.watched.add(client);
    countRequests(client, prefix, this.requests);
    countRequests(client, `${region} ${prefix}`, this.requestsByRegion, 'testRegionRequestCounter');
    countAttempts(client, `${region} ${prefix}`, this.attemptsByRegion);
    return client;
  }

  /** One region's requests, or attempts, by `prefix:Operation`. */
  requestsIn(region: string): Record<string, number> {
    return inRegion(this.requestsByRegion, region);
  }

  attemptsIn(region: string): Record<string, number> {
    return inRegion(this.attemptsByRegion, region);
  }

  override iam() {
    return this.watch(super.iam(), 'iam', this.options.region);
  }

  override sts() {
    return this.watch(super.sts(), 'sts', this.options.region);
  }

  override ec2(region: string) {
    return this.watch(super.ec2(region), 'ec2', region);
  }

  override lambda(region: string) {
    return this.watch(super.lambda(region), 'lambda', region);
  }

  override tagging(region: string) {
    return this.watch(super.tagging(region), 'tag', region);
  }

  override cloudtrail(region: string) {
    return this.watch(super.cloudtrail(region), 'cloudtrail', region);
  }

  override costExplorer(region = 'us-east-1') {
    return this.watch(super.costExplorer(region), 'ce', region);
  }

  override config(region: string) {
    return this.watch(super.config(region), 'config', region);
  }
}

function inRegion(counter: CallCounter, region: string): Record<string, number> {
  const prefix = `${region} `;
  return Object.fromEntries(
    Object.entries(counter.snapshot())
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, n]) => [key.slice(prefix.length), n]),
  );
}
