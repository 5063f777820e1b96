/** Markdown that shows others' words as written. Pure: bundled into workflows. */

/**
 * Text from Okta and the vendors (display names, labels, messages) as Markdown that shows it as
 * written: every character Markdown could act on is escaped, so a name cannot become a link, an
 * image, a heading or HTML.
 */
export function markdownEscape(text: string, opts: { keepUrls?: boolean } = {}): string {
  const escaped = text
    .replace(/\s*[\r\n]+\s*/g, ' ') // one line: a name cannot start a heading or a list
    .replace(/[\\`*_{}[\]()!|<>~&]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`));
  // No bare-URL autolinks (GitHub-flavoured Markdown) in others' words; our own steps keep the
  // Admin Console link clickable.
  return opts.keepUrls ? escaped : escaped.replace(/\b(https?|ftp):\/\//gi, '$1\\://').replace(/\bwww\./gi, 'www\\.');
}
