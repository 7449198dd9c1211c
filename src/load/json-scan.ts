import { printParseErrorCode, visit, type JSONVisitor } from 'jsonc-parser';

/** 1-based, like editors show them. */
export interface JsonPosition {
  line: number;
  column: number;
}

export interface JsonDuplicate extends JsonPosition {
  /** JSON pointer of the repeated key. */
  pointer: string;
  key: string;
  /** Where the key first appeared. */
  first: JsonPosition;
}

export interface JsonSyntaxError extends JsonPosition {
  message: string;
}

/** What to find: a JSON pointer, and whether the position of its key (not its value) is wanted. */
export interface JsonTarget {
  pointer: string;
  key?: boolean;
}

export interface JsonScan {
  /** Keys that appear twice in one object, in document order (JSON.parse keeps the last silently). */
  duplicates: JsonDuplicate[];
  /** Syntax errors (strict JSON: no comments, no trailing commas), in document order. */
  errors: JsonSyntaxError[];
  /** Per target, its position or its nearest existing ancestor's; absent only for an empty document. */
  positions: (JsonPosition | undefined)[];
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Where the value at this path starts, and where its key does. */
  value?: JsonPosition;
  key?: JsonPosition;
}

interface Frame {
  array: boolean;
  index: number;
  /** Keys seen in this object and where (only objects). */
  keys?: Map<string, JsonPosition>;
  /** The trie node of this container's path, or null when no target runs through it. */
  node: TrieNode | null;
  /** The enclosing container and this one's key or index in it: its pointer, built only when a duplicate needs it. */
  parent: Frame | undefined;
  segment: string;
}

function segmentsOf(frame: Frame): string[] {
  const out: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) out.push(f.segment);
  return out.reverse();
}

const MAX_DUPLICATES = 100;

function buildTrie(targets: readonly JsonTarget[]): { root: TrieNode; paths: TrieNode[][] } {
  const root: TrieNode = { children: new Map() };
  const paths = targets.map((t) => {
    let node = root;
    const chain = [root];
    for (const s of parsePointer(t.pointer)) {
      let child = node.children.get(s);
      if (!child) {
        child = { children: new Map() };
        node.children.set(s, child);
      }
      node = child;
      chain.push(node);
    }
    return chain;
  });
  return { root, paths };
}

/** Per target, the deepest position found along its path (the key's, when asked for and found). */
function positionsOf(targets: readonly JsonTarget[], paths: TrieNode[][]): (JsonPosition | undefined)[] {
  return paths.map((chain, i) => {
    const wantKey = targets[i]!.key === true;
    for (let j = chain.length - 1; j >= 0; j--) {
      const node = chain[j]!;
      const pos = wantKey && j === chain.length - 1 ? (node.key ?? node.value) : node.value;
      if (pos) return pos;
    }
    return undefined;
  });
}

/**
 * The positions of JSON pointers in a text JSON.parse accepted: one pass of a
 * regular-expression tokenizer (several times faster than a full scanner, so a
 * problem at the end of a 50 MB inventory is found in about the time the file
 * took to parse), following only the containers a target runs through.
 */
export function locateJson(text: string, targets: readonly JsonTarget[]): (JsonPosition | undefined)[] {
  const { root, paths } = buildTrie(targets);
  // Offsets first; lines and columns once, at the end.
  const valueAt = new Map<TrieNode, number>();
  const keyAt = new Map<TrieNode, number>();
  interface Box { array: boolean; index: number; node: TrieNode | null }
  const stack: Box[] = [];
  let pendingKey: string | undefined;
  let pendingKeyOffset = -1;
  const token = /"(?:[^"\\]|\\.)*"|[{}[\],:]|[^\s{}[\],:"]+/g;
  let previousString: { text: string; offset: number } | undefined;
  const enter = (offset: number): TrieNode | null => {
    const parent = stack[stack.length - 1];
    let node: TrieNode | null;
    if (!parent) node = root;
    else if (parent.array) node = parent.node ? (parent.node.children.get(String(parent.index)) ?? null) : null;
    else node = parent.node && pendingKey !== undefined ? (parent.node.children.get(pendingKey) ?? null) : null;
    if (parent?.array) parent.index++;
    if (node) {
      if (!valueAt.has(node)) valueAt.set(node, offset);
      if (parent && !parent.array && !keyAt.has(node)) keyAt.set(node, pendingKeyOffset);
    }
    return node;
  };
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    const t = m[0];
    const c = t.charCodeAt(0);
    if (previousString) {
      // A string is a key when a colon follows it, else a value.
      const s = previousString;
      previousString = undefined;
      if (c === 58 /* : */) {
        const parent = stack[stack.length - 1];
        // Only keys of containers a target runs through are decoded.
        pendingKey = parent?.node ? (s.text.includes('\\') ? (JSON.parse(s.text) as string) : s.text.slice(1, -1)) : undefined;
        pendingKeyOffset = s.offset;
        continue;
      }
      enter(s.offset);
    }
    if (c === 34 /* " */) previousString = { text: t, offset: m.index };
    else if (c === 123 /* { */ || c === 91 /* [ */) stack.push({ array: c === 91, index: 0, node: enter(m.index) });
    else if (c === 125 /* } */ || c === 93 /* ] */) stack.pop();
    else if (c !== 44 /* , */ && c !== 58) enter(m.index);
  }
  if (previousString) enter(previousString.offset);
  const offsets = [...valueAt.values(), ...keyAt.values()].sort((a, b) => a - b);
  const lineCol = positionsAtOffsets(text, offsets);
  for (const node of valueAt.keys()) node.value = lineCol.get(valueAt.get(node)!);
  for (const node of keyAt.keys()) node.key = lineCol.get(keyAt.get(node)!);
  return positionsOf(targets, paths);
}

/** Lines and columns (1-based) of sorted offsets, counting newlines once. */
function positionsAtOffsets(text: string, sorted: number[]): Map<number, JsonPosition> {
  const out = new Map<number, JsonPosition>();
  let line = 1;
  let lineStart = 0;
  for (const offset of sorted) {
    for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < offset; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    out.set(offset, { line, column: offset - lineStart + 1 });
  }
  return out;
}

/**
 * One pass over a JSON text with a streaming scanner (no tree is built, so a
 * 50 MB inventory costs about a second and little memory): finds duplicate
 * keys, syntax errors, and the positions of the given JSON pointers together.
 */
export function scanJson(text: string, targets: readonly JsonTarget[] = []): JsonScan {
  const { root, paths } = buildTrie(targets);

  const duplicates: JsonDuplicate[] = [];
  const errors: JsonSyntaxError[] = [];
  const stack: Frame[] = [];
  let pendingKey: string | undefined;
  let pendingKeyPos: JsonPosition | undefined;

  /** A value starts: find its trie node (from the key or index it sits at) and record where it is. */
  const enter = (line: number, character: number): TrieNode | null => {
    const pos = { line: line + 1, column: character + 1 };
    const parent = stack[stack.length - 1];
    let node: TrieNode | null;
    let keyPos: JsonPosition | undefined;
    if (!parent) {
      node = root;
    } else {
      const segment = parent.array ? String(parent.index++) : pendingKey;
      keyPos = parent.array ? undefined : pendingKeyPos;
      node = parent.node && segment !== undefined ? (parent.node.children.get(segment) ?? null) : null;
    }
    if (node) {
      node.value ??= pos;
      if (keyPos) node.key ??= keyPos;
    }
    return node;
  };

  const push = (array: boolean, node: TrieNode | null): void => {
    const parent = stack[stack.length - 1];
    const segment = parent ? (parent.array ? String(parent.index - 1) : (pendingKey ?? '')) : '';
    stack.push({ array, index: 0, node, parent, segment, ...(array ? {} : { keys: new Map<string, JsonPosition>() }) });
  };

  const visitor: JSONVisitor = {
    onObjectBegin: (_offset, _length, line, character) => {
      push(false, enter(line, character));
    },
    onObjectEnd: () => {
      stack.pop();
    },
    onArrayBegin: (_offset, _length, line, character) => {
      push(true, enter(line, character));
    },
    onArrayEnd: () => {
      stack.pop();
    },
    onLiteralValue: (_value, _offset, _length, line, character) => {
      enter(line, character);
    },
    onObjectProperty: (property, _offset, _length, line, character) => {
      const pos = { line: line + 1, column: character + 1 };
      pendingKey = property;
      pendingKeyPos = pos;
      const frame = stack[stack.length - 1];
      if (!frame?.keys) return;
      const first = frame.keys.get(property);
      if (first === undefined) {
        frame.keys.set(property, pos);
      } else if (duplicates.length < MAX_DUPLICATES) {
        duplicates.push({ ...pos, key: property, first, pointer: toPointer([...segmentsOf(frame), property]) });
      }
    },
    onError: (error, _offset, _length, line, character) => {
      errors.push({ line: line + 1, column: character + 1, message: describeError(printParseErrorCode(error)) });
    },
  };
  visit(text, visitor, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });

  const positions = positionsOf(targets, paths);
  return { duplicates, errors, positions };
}

const ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ',' (or the end of the object or array)",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'expected the end of the file (one value per file)',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'comments are not JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'invalid number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

function describeError(code: string): string {
  return `JSON syntax error: ${ERRORS[code] ?? code}`;
}

/** `/a/b~1c/0` -> ['a', 'b/c', '0'] (RFC 6901). */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function toPointer(segments: string[]): string {
  return segments.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
