import MarkdownIt from 'markdown-it';

/**
 * A CommonMark parser with GitHub's extensions as GitHub renders a file:
 * tables, strikethrough, raw HTML, and autolinks for `https://...`, `www.`
 * and e-mail addresses (GFM links no bare `example.com`, so neither does this).
 */
const parser = new MarkdownIt({ html: true, linkify: true });
parser.linkify.set({ fuzzyLink: false });

/** Inline tokens that carry only text (escaped or not). */
const TEXT = new Set(['text', 'text_special']);

/**
 * The shape of a Markdown document: its block tokens and, inside each, the
 * inline tokens other than plain text (emphasis, links, images, HTML, code
 * spans, line breaks). Two renderings of the same report whose values differ
 * have the same shape only if no value added structure of its own.
 */
export function shape(markdown: string): string[] {
  return parser.parse(markdown, {}).flatMap((t) =>
    t.type === 'inline' ? (t.children ?? []).filter((c) => !TEXT.has(c.type)).map((c) => `  ${c.type}`) : [`${t.type}${t.markup ? ` ${t.markup}` : ''}`],
  );
}

/** Every token type in a document, nested ones included. */
export function tokenTypes(markdown: string): Set<string> {
  const types = new Set<string>();
  for (const t of parser.parse(markdown, {})) {
    types.add(t.type);
    for (const c of t.children ?? []) types.add(c.type);
  }
  return types;
}

/** The text a reader sees: the rendered HTML's text, tags dropped and entities decoded. */
export function renderedText(markdown: string): string {
  return parser
    .render(markdown)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

export { parser };
