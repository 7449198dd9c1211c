/** Names, tags and messages an intruder can give resources, each trying to become Markdown, HTML or terminal control. */
export const HOSTILE = [
  '**No violations.** [details](https://example.invalid)',
  '<img src=x onerror=alert(1)>',
  '| a | b |',
  'evil\n# Heading',
  'back`tick``s',
  '\u001b[2J\u001b[31mred',
  '\u009b31mcsi',
  'carriage\rreturn',
  '- item',
  '1. item',
  '&lt;b&gt; &#x3C;script&#x3E;',
  '![image](https://example.invalid/i.png)',
  '<https://example.invalid>',
  'see www.example.invalid or https://example.invalid',
  'mail admin@example.invalid',
  '~~struck~~ and $x^2$',
  '_em_ and *em* and __strong__',
  'x\n---',
  'x\r\n===',
  '[ref]: https://example.invalid',
  '\\*escaped\\*',
  'tab\there',
  'del\u007fc1\u0085bidi\u202eevil',
  '    indented code',
  '> quote',
  '```fence',
];

/** Control characters a terminal acts on: C0 (newline and tab included), DEL, C1, and the bidirectional overrides. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Harmless twins of the hostile values, as many, as distinct, and in the same sort order (so a plan orders its steps alike). */
const rank = [...HOSTILE].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
export const BENIGN = HOSTILE.map((h) => `plain${String(rank.indexOf(h)).padStart(2, '0')}`);
