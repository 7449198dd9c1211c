import type { AuditReport } from './audit-report.js';

/** `JSON.stringify(value, null, 2)`, as it reads nested `depth` levels deep. */
function nested(value: unknown, indent: string): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${indent}`);
}

const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * The text of `JSON.stringify(value, null, 2)`, in pieces: the top-level
 * object's fields one by one, and each element of an array among them (the
 * violations, the gaps) on its own, so no single string holds a report of a
 * million violations. Strings are escaped by JSON.stringify alone: the JSON
 * report keeps every value from AWS exactly as it was.
 */
export function* jsonChunks(value: Record<string, unknown>): Generator<string> {
  const fields = Object.entries(value).filter(([, v]) => !omitted(v));
  if (fields.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{';
  for (const [i, [key, v]] of fields.entries()) {
    yield `${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(v) && v.length > 0) {
      yield '[';
      for (const [j, item] of v.entries()) yield `${j === 0 ? '' : ','}\n    ${omitted(item) ? 'null' : nested(item, '    ')}`;
      yield '\n  ]';
    } else {
      yield nested(v, '  ');
    }
  }
  yield '\n}\n';
}

/** Reports hold no secrets by construction: collectors never read a secret access key. */
export function renderJson(report: AuditReport): string {
  return [...jsonChunks(report as unknown as Record<string, unknown>)].join('');
}
