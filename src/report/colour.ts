import pc from 'picocolors';

type Paint = (s: string) => string;

/** How each severity heading is painted: the colours people know from other scanners. */
const HEADINGS: Record<string, (c: ReturnType<typeof pc.createColors>) => Paint> = {
  Critical: (c) => (s) => c.bold(c.red(s)),
  High: (c) => c.red,
  Medium: (c) => c.yellow,
  Low: (c) => c.cyan,
  Info: (c) => c.dim,
  'Could not check': (c) => c.magenta,
  'Since the previous run': (c) => c.bold,
  'What to do now': (c) => c.bold,
};

const HEADING = /^(## )(Critical|High|Medium|Low|Info|Could not check|Since the previous run|What to do now)$/gm;

/** Whether a stream shows colours: a terminal that has them, unless NO_COLOR (or FORCE_COLOR) says otherwise. */
export function wantsColour(stream: NodeJS.WritableStream): boolean {
  const tty = stream as NodeJS.WriteStream;
  return tty.isTTY === true && typeof tty.hasColors === 'function' && tty.hasColors();
}

/**
 * The Markdown report for a terminal: severity headings and **new** markers
 * in colour. Values from AWS were escaped before (no control character is
 * left in them), so the only escape sequences are the ones added here.
 */
export function* colourMarkdown(chunks: Iterable<string>): Generator<string> {
  const c = pc.createColors(true);
  const fresh = c.bold(c.magenta('**new**'));
  for (const chunk of chunks) {
    yield chunk.replace(HEADING, (_, hashes: string, name: string) => HEADINGS[name]!(c)(`${hashes}${name}`)).replaceAll('**new** ', `${fresh} `);
  }
}
