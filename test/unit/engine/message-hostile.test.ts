/**
 * A rule's message renders values from AWS: an object whose own toString or
 * valueOf is not a function (a policy document, a Config record, a tag map an
 * intruder shaped) must render as text, never crash the audit.
 */
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../src/engine/message.js';
import type { EvalContext } from '../../../src/engine/paths.js';

const render = (x: unknown) => renderMessage('a {{props.x}} b {{join props.x}} c {{props.x.name}}', { props: { x } } as unknown as EvalContext);

describe('rule messages with hostile values', () => {
  it('an object with a toString, valueOf or Symbol.toPrimitive that is not a function renders, never throws', () => {
    const odd = [{ toString: 'x' }, { valueOf: 1, toString: 2 }, [{ toString: 'y' }], Object.create(null) as object, [Object.create(null)], { [Symbol.toPrimitive]: 'z' }, { toJSON: 1 }];
    for (const v of odd) expect(() => render(v), JSON.stringify(v)).not.toThrow();
    expect(render({ toString: 'x', name: 'n' })).toBe('a [object Object] b  c n');
    expect(render([{ toString: 'y' }, 'ok'])).toBe('a [object Object],ok b [object Object], ok c');
  });

  it('ordinary values render as before', () => {
    expect(render(['p', 'q'])).toBe('a p,q b p, q c');
    expect(render('s')).toBe('a s b  c');
    expect(render(3)).toBe('a 3 b  c');
  });
});
