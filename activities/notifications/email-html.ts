/** The HTML part of a notice email: the same content as the text part, laid out plainly. */
import type { NoticeContent } from '../../domain/notice';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const li = (items: string[]) => items.map((i) => `<li>${escapeHtml(i)}</li>`).join('');

export function noticeHtml(c: NoticeContent): string {
  const parts = [`<h2>${escapeHtml(c.subject)}</h2>`, `<p>${escapeHtml(c.headline)}</p>`];
  if (c.facts.length > 0) parts.push('<h3>What failed</h3>', `<ul>${li(c.facts)}</ul>`);
  if (c.cause) {
    parts.push('<h3>Why</h3>', `<p><strong>Most likely:</strong> ${escapeHtml(c.cause.title)}</p>`, `<ul>${li(c.cause.evidence)}</ul>`);
    if (c.otherCauses.length > 0) parts.push(`<p><em>Also possible:</em> ${c.otherCauses.map(escapeHtml).join('; ')}</p>`);
  }
  if (c.steps.length > 0) parts.push('<h3>What to do</h3>', `<ol>${li(c.steps)}</ol>`);
  if (c.command) parts.push(`<p><strong>${escapeHtml(c.command.intro)}:</strong></p>`, `<pre><code>${escapeHtml(c.command.line)}</code></pre>`);
  for (const l of c.users) {
    const more = l.more > 0 ? [`... and ${l.more} more (${c.fullReport})`] : [];
    parts.push(`<h3>${escapeHtml(l.title)}</h3>`, `<ul>${li([...l.lines, ...more])}</ul>`);
  }
  parts.push(`<p style="color:#666">${escapeHtml(c.footer)}</p>`);
  if (c.uiUrl && /^https?:\/\//i.test(c.uiUrl)) parts.push(`<p><a href="${escapeHtml(c.uiUrl)}">Open in the Temporal Web UI</a></p>`);
  return `<!doctype html><html><body style="font-family:sans-serif">${parts.join('\n')}</body></html>`;
}
