/**
 * AWS Config's pages, read with a bound: the SDK's paginators follow
 * NextToken until it is absent, and by default do not stop when a page hands
 * back a token already followed, so a service fault would page forever.
 * Paginators are made with `stopOnSameToken: true`, and a token seen before,
 * or more pages than the bound, throws: the caller turns it into a gap (a
 * partial list must not look whole).
 */

/** Throws when `pager` repeats a NextToken or yields more than `maxPages` pages; otherwise yields its pages. */
export async function* boundedPages<T extends { NextToken?: string | undefined }>(pager: AsyncIterable<T>, maxPages: number, operation: string): AsyncGenerator<T> {
  const seen = new Set<string>();
  let pages = 0;
  for await (const page of pager) {
    if (++pages > maxPages) throw Object.assign(new Error(`AWS Config's ${operation} was still paging after ${maxPages} pages`), { name: 'TooManyPages' });
    yield page;
    const token = page.NextToken;
    if (token === undefined || token === '') continue;
    if (seen.has(token)) throw Object.assign(new Error(`AWS Config's ${operation} handed back a NextToken it had already given: the listing cannot be read whole`), { name: 'RepeatedNextToken' });
    seen.add(token);
  }
}
