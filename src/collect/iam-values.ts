/**
 * Small conversions the IAM collector's modules share: SDK dates to ISO strings
 * and tag lists to a record, and the page size every paginated IAM call asks for.
 */
import type { Tag } from '@aws-sdk/client-iam';

/** The largest page IAM serves; fewer pages mean fewer calls. */
export const PAGE_SIZE = 1000;

export const iso = (d: Date | undefined): string => (d ? d.toISOString() : '');
export const isoOrNull = (d: Date | undefined): string | null => (d ? d.toISOString() : null);
export const tagsOf = (tags: Tag[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
