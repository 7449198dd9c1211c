import type { Plain } from '../model/resource.js';

/** A string an executor recorded for undo; a journal without it cannot be undone. */
export function recordedString(recorded: Record<string, Plain>, key: string): string {
  const value = recorded[key];
  if (typeof value !== 'string' || value === '') throw new Error(`the journal's undo record has no '${key}'`);
  return value;
}
