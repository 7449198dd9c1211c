/**
 * Which calls may be sent again after an answer that never came.
 *
 * A call is told apart by its operation's name. Reads are the operations
 * named `Describe*`, `List*`, `Get*`, `Lookup*` and `Select*` (every collector call, STS
 * GetCallerIdentity, the executors' observations, the timeline's
 * LookupEvents, AWS Config's SQL queries), and GenerateCredentialReport,
 * which only asks IAM to (re)build the report: sending any of them twice
 * changes nothing. Some writes are idempotent by AWS's own semantics: sending
 * them again after the first took effect sets the same state and succeeds
 * (`IDEMPOTENT_WRITES`). Every other operation is a write whose repetition
 * could act twice (a second access key, a second instance) or fail on what
 * the first attempt did.
 */
export type CallKind = 'read' | 'idempotent-write' | 'write';

const READ = /^(Describe|List|Get|Lookup|Select)[A-Z]/;

/** Writes that set a state, so that a second identical call changes nothing and succeeds. */
export const IDEMPOTENT_WRITES: ReadonlySet<string> = new Set([
  'UpdateAccessKey',
  'StopInstances',
  'StartInstances',
  'TerminateInstances',
  'CancelSpotInstanceRequests',
  'CancelSpotFleetRequests',
  'PutFunctionConcurrency',
  'DeleteFunctionConcurrency',
  'PutUserPolicy',
  'PutRolePolicy',
  'PutGroupPolicy',
  'AttachUserPolicy',
  'AttachRolePolicy',
  'AttachGroupPolicy',
  'AddUserToGroup',
  'TagUser',
  'UntagUser',
  'UpdateAssumeRolePolicy',
  'StartLogging',
  'StopLogging',
]);

/** The kind of an operation, from its name with or without the SDK's `Command` suffix; an unknown name is a write. */
export function callKind(operation: string | undefined): CallKind {
  const name = (operation ?? '').replace(/Command$/, '');
  if (READ.test(name) || name === 'GenerateCredentialReport') return 'read';
  return IDEMPOTENT_WRITES.has(name) ? 'idempotent-write' : 'write';
}

/** The operation each failed attempt was made for, as the retry strategy sees its error. */
const operations = new WeakMap<object, string>();

/** Remembers that `err` ended an attempt of `operation`. */
export function recordOperation(err: unknown, operation: string): void {
  if (typeof err === 'object' && err !== null) operations.set(err, operation.replace(/Command$/, ''));
}

/** The operation whose attempt failed with `err`, when a client tagged with `tagFailures` made it. */
export function operationOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? operations.get(err) : undefined;
}

interface MiddlewareStackLike {
  addRelativeTo(
    middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
    options: { relation: 'after'; toMiddleware: string; name: string },
  ): void;
}

/**
 * Adds a middleware just inside the SDK's retry loop that remembers, for each
 * failed attempt's error, the operation it was made for: the retry strategy
 * the SDK calls with that error learns whether it may send it again.
 */
export function tagFailures(client: { middlewareStack: unknown }): void {
  (client.middlewareStack as MiddlewareStackLike).addRelativeTo(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        recordOperation(err, context.commandName ?? '');
        throw err;
      }
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'rollcallFailureOperation' },
  );
}
