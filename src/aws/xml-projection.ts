/**
 * Reads only the parts of a large XML answer that rollcall uses, as it
 * streams in. A projection is a tree shaped like the XML: each element it
 * names becomes a text value, an object or a list in the output, under the
 * SDK's member name; everything else is tokenised and dropped without being
 * built. A 4,000-instance DescribeInstances answer (12.5 MB) costs about a
 * third of the CPU the SDK's full deserialisation does, and is never held
 * whole in memory. Well-formedness is still checked (saxes), and entities
 * decoded: a malformed answer is an error, never a partial result.
 */
import { SaxesParser } from 'saxes';

/** An element whose text becomes `to`, converted by `read` (default: the text as is). */
export interface TextField {
  kind: 'text';
  to: string;
  read?: (text: string) => unknown;
}
/** An element whose children become an object at `to` (or fill the current object when `to` is null). */
export interface StructField {
  kind: 'struct';
  to: string | null;
  children: Projection;
}
/** An EC2-style list: an element whose `<item>` children each become an object in an array at `to`. */
export interface ListField {
  kind: 'list';
  to: string;
  item: Projection;
}
export type Field = TextField | StructField | ListField;
/** Element name -> what it becomes. */
export type Projection = Readonly<Record<string, Field>>;

export const text = (to: string): TextField => ({ kind: 'text', to });
/** An XML timestamp (ISO 8601), as the SDK gives it: a Date. */
export const timestamp = (to: string): TextField => ({ kind: 'text', to, read: (t) => new Date(t) });
export const struct = (to: string | null, children: Projection): StructField => ({ kind: 'struct', to, children });
export const list = (to: string, item: Projection): ListField => ({ kind: 'list', to, item });

/** Where the reader is: inside a projected object, a list, or a text element. */
type Frame =
  | { kind: 'object'; children: Projection; target: Record<string, unknown> }
  | { kind: 'list'; item: Projection; items: Record<string, unknown>[] }
  | { kind: 'text'; field: TextField; target: Record<string, unknown>; text: string };

/** A body as the SDK hands it over: a Node stream, bytes or a string. */
export type Body = AsyncIterable<Uint8Array | string> | Uint8Array | string;

async function* chunksOf(body: Body): AsyncIterable<string> {
  if (typeof body === 'string') {
    yield body;
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  if (body instanceof Uint8Array) {
    yield decoder.decode(body);
    return;
  }
  for await (const chunk of body) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  yield decoder.decode();
}

/** Reads `body` through `projection`, rooted at the document element; resolves to the projected object. */
export async function readProjected(body: Body, projection: Projection): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const stack: Frame[] = [{ kind: 'object', children: projection, target: result }];
  // Depth inside an element the projection does not name: skipped without building anything.
  let skipping = 0;
  let failure: Error | null = null;
  const parser = new SaxesParser({ position: false });
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.on('opentag', (tag) => {
    if (skipping > 0) {
      skipping++;
      return;
    }
    const top = stack[stack.length - 1]!;
    if (top.kind === 'list') {
      if (tag.name !== 'item') {
        skipping = 1;
        return;
      }
      const item: Record<string, unknown> = {};
      top.items.push(item);
      stack.push({ kind: 'object', children: top.item, target: item });
      return;
    }
    // An element inside a text field, or one the projection does not name.
    const field = top.kind === 'object' ? top.children[tag.name] : undefined;
    if (top.kind === 'text' || !field) {
      skipping = 1;
      return;
    }
    if (field.kind === 'text') stack.push({ kind: 'text', field, target: top.target, text: '' });
    else if (field.kind === 'struct') {
      const target = field.to === null ? top.target : ((top.target[field.to] as Record<string, unknown>) ??= {});
      stack.push({ kind: 'object', children: field.children, target });
    } else {
      const items: Record<string, unknown>[] = [];
      top.target[field.to] = items;
      stack.push({ kind: 'list', item: field.item, items });
    }
  });
  const append = (t: string) => {
    const top = stack[stack.length - 1]!;
    if (skipping === 0 && top.kind === 'text') top.text += t;
  };
  parser.on('text', append);
  parser.on('cdata', append);
  parser.on('closetag', () => {
    if (skipping > 0) {
      skipping--;
      return;
    }
    const done = stack.pop()!;
    if (done.kind === 'text') done.target[done.field.to] = done.field.read ? done.field.read(done.text) : done.text;
  });
  for await (const chunk of chunksOf(body)) {
    parser.write(chunk);
    if (failure) break;
  }
  if (!failure) parser.close();
  if (failure) throw new Error(`malformed XML in the response: ${(failure as Error).message}`);
  return result;
}
