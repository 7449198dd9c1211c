/**
 * Write-ahead, enforced: the clients an executor gets in apply refuse any
 * call that is not a read until the step's intent is on disk. An executor
 * that forgets `ctx.intend` fails its step before it changes anything,
 * instead of leaving a change the journal cannot account for.
 */
import type { AwsClients } from '../aws/clients.js';
import { CLIENT_SERVICES } from '../aws/services.js';
import { callKind } from '../aws/call-kind.js';

type Sendable = { send: (command: { constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown> };

function guardClient<T extends object>(client: T, intended: () => boolean, stepId: string): T {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop !== 'send' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      const send = value as Sendable['send'];
      return (command: { constructor: { name: string } }, ...rest: unknown[]) => {
        const operation = command.constructor.name.replace(/Command$/, '');
        if (callKind(operation) !== 'read' && !intended()) {
          return Promise.reject(new Error(`internal error: step ${stepId} called ${operation} before journaling its intent; nothing was sent`));
        }
        return send.call(target, command, ...rest);
      };
    },
  });
}

/** The run's clients, as one step's executor may use them: reads at any time, anything else only after its intent. */
export function guardWrites(clients: AwsClients, intended: () => boolean, stepId: string): AwsClients {
  const services = new Set<PropertyKey>(CLIENT_SERVICES);
  return new Proxy(clients, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (!services.has(prop)) return value.bind(target);
      return (...args: unknown[]) => guardClient((value as (...a: unknown[]) => object).apply(target, args), intended, stepId);
    },
  });
}
