/** Counts every HTTP attempt the SDK makes, retries included, by `service:Operation`. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  record(service: string, operation: string): void {
    const key = `${service}:${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

interface MiddlewareStackLike {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
    options: { step: 'deserialize'; name: string; priority?: 'low' | 'normal' | 'high' },
  ): void;
}

/**
 * Adds the counting middleware to an SDK v3 client (or one command: its stack
 * joins the client's, so it needs a `name` of its own). It sits in the
 * deserialize step, inside the retry loop, so each attempt on the wire counts once.
 */
export function countCalls(client: { middlewareStack: unknown }, service: string, counter: CallCounter, name = 'rollcallCallCounter'): void {
  (client.middlewareStack as MiddlewareStackLike).add(
    (next, context) => async (args) => {
      counter.record(service, (context.commandName ?? 'Unknown').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'deserialize', name, priority: 'low' },
  );
}
