/**
 * Values from an inventory (names, tags, ids, policy names, AWS error text, and
 * the messages built from them) are attacker-controlled data. Each output
 * format escapes them here, once, as it writes them: rule messages are
 * rendered as plain text (Handlebars with `noEscape`), and JSON output is
 * escaped by JSON.stringify alone.
 */

/**
 * C0 controls (tab, newline and carriage return included), DEL, C1 controls
 * (U+0085 NEL, U+009B CSI...), the Unicode line and paragraph separators, and
 * the bidirectional formatting characters that reorder what a terminal or a
 * browser shows (Trojan Source).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** `\x1b`, `\n`, `\u202e`: a control character as visible text, so nobody mistakes it for nothing. */
function visible(c: string): string {
  const code = c.charCodeAt(0);
  return SHORT[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * A value for a terminal: every control character (ANSI escape sequences start
 * with one: ESC, or the C1 CSI) shown as visible text, newlines included, so a
 * value can neither move the cursor, clear the screen, recolour the output, nor
 * add a line of its own.
 */
export function terminalText(value: string): string {
  return value.replace(CONTROL, visible);
}

/** Text the program laid out in lines (its own `\n`s kept), each line made safe as `terminalText`. */
export function terminalLines(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}

/** Line breaks (Markdown's: LF, CR, CRLF), with the blanks around them, become one space: a value stays on the line, the list item or the table row it is in. */
const LINE_BREAKS = /[ \t]*(?:(?:\r\n|[\n\r])[ \t]*)+/g;
const collapse = (value: string) => value.replace(LINE_BREAKS, ' ');

/**
 * Markdown metacharacters, and what starts an autolink: `://`, `@` (e-mail)
 * and `www.`. Parentheses need no escape: without an unescaped `]` before
 * them they form no link.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|!~&$@]|:(?=\/\/)|(?<=(?<![\p{L}\p{N}])www)\./giu;
const WORD = /[\p{L}\p{N}]/u;
/**
 * What makes a list item (`- `, `+ `, `1. `, `1) `), a heading underline
 * (`===`, `---`) or a thematic break when it starts a line. The end of the
 * value counts as a blank: text may follow it.
 */
const BLOCK_START = /^(\s*)(?:([-+=])(?=[-+=\s]|$)|(\d{1,9})([.)])(?=\s|$))/;

/**
 * A value for Markdown text (a paragraph, a list item, a heading, a quote or a
 * table cell): every metacharacter backslash-escaped, so no emphasis, link,
 * image, HTML, entity, heading, list, quote, table cell or code span can come
 * from it; line breaks collapsed to a space; control characters made visible.
 * Rendered, it reads as the value itself.
 */
export function markdownText(value: string): string {
  const text = collapse(value).replace(MARKDOWN_SPECIAL, (c: string, offset: number, s: string) => {
    // `ci_deployer`: an underscore between letters or digits can neither open nor close emphasis.
    if (c === '_' && WORD.test(s.charAt(offset - 1)) && WORD.test(s.charAt(offset + 1))) return c;
    return `\\${c}`;
  });
  const unblocked = text.replace(BLOCK_START, (_m: string, blank: string, sign?: string, digits?: string, mark?: string) => (sign !== undefined ? `${blank}\\${sign}` : `${blank}${digits}\\${mark}`));
  // Leading spaces at the start of a line would indent (a code block, a nested list): the first one becomes an entity, which does not.
  return unblocked.replace(/^ /, '&#32;').replace(CONTROL, visible);
}

/** A value for a table cell: `markdownText` already escapes `|` and collapses line breaks, so a value can add neither a column nor a row. */
export function markdownCell(value: string): string {
  return markdownText(value);
}

/**
 * A value as an inline code span, backticks included: fenced by a run of
 * backticks longer than any run inside it, so it shows every character as it
 * is. Line breaks collapse to a space (a code span cannot hold one), control
 * characters are made visible, and in a table cell (`table: true`) `|` is
 * escaped as GFM requires there.
 */
export function markdownCode(value: string, o: { table?: boolean } = {}): string {
  let text = collapse(value).replace(CONTROL, visible);
  if (o.table) text = text.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  // A leading or trailing backtick would join the fence; a space on each side is stripped again when rendered.
  const pad = text === '' || text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A value for a SARIF plain-text message (`message.text`): control characters
 * made visible as `terminalText` does, and `[`, `]` and `\` backslash-escaped,
 * so that no value makes an embedded link (`[text](uri)`, SARIF 3.11.6) or
 * undoes an escape of ours.
 */
export function sarifText(value: string): string {
  return terminalText(value.replace(/[\\[\]]/g, '\\$&'));
}
