/** `*` matches any run of characters; everything else is literal. Anchored. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

export function isGlob(text: string): boolean {
  return text.includes('*');
}

/**
 * Looks names up among entries whose names may be globs: exact names through a
 * map (constant time), globs tried in order after that. First declared wins.
 */
export class NameIndex<T> {
  private readonly exact = new Map<string, T>();
  private readonly globs: Array<[RegExp, T]> = [];

  constructor(entries: Iterable<T>, nameOf: (entry: T) => string) {
    for (const entry of entries) {
      const name = nameOf(entry);
      if (isGlob(name)) this.globs.push([globToRegExp(name), entry]);
      else if (!this.exact.has(name)) this.exact.set(name, entry);
    }
  }

  get(name: string): T | undefined {
    const hit = this.exact.get(name);
    if (hit !== undefined) return hit;
    for (const [re, entry] of this.globs) if (re.test(name)) return entry;
    return undefined;
  }
}
