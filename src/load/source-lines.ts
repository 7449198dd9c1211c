import type { SourceLines } from '../model/source-lines.js';
import { toPointer, type DataFile } from './yaml-file.js';

/** Every value's pointer in parsed data, the root's excepted, in document order. */
function pointersOf(value: unknown, segments: (string | number)[], out: string[]): void {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  for (const [key, child] of children) {
    const path = [...segments, key];
    out.push(toPointer(path));
    pointersOf(child, path, out);
  }
}

/**
 * The line of every value of a loaded file, at load time: of its key for a
 * mapping's member (`users:`), of the item itself for a list's (`- name: alice`).
 * A YAML file walks its nodes once; a JSON file is scanned once for every pointer its data has.
 */
export function sourceLines(file: DataFile): SourceLines {
  if (file.lines) return { file: file.file, lines: file.lines() };
  const pointers: string[] = [];
  pointersOf(file.data, [], pointers);
  const positions = file.locateAll(pointers.map((pointer) => ({ pointer, key: true })));
  const lines = new Map<string, number>();
  pointers.forEach((pointer, i) => {
    const line = positions[i]?.line;
    if (line !== undefined) lines.set(pointer, line);
  });
  return { file: file.file, lines };
}

/** `sourceLines`, worked out on the first read of `lines` (and kept). */
export function lazySourceLines(file: DataFile): SourceLines {
  let lines: ReadonlyMap<string, number> | undefined;
  return {
    file: file.file,
    get lines() {
      return (lines ??= sourceLines(file).lines);
    },
  };
}
