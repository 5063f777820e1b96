/** Just enough RFC 822/2045 to read back what nodemailer sent (mailparser is not a dependency). */

export interface ParsedPart {
  headers: Record<string, string>;
  body: string;
}

export interface ParsedMail extends ParsedPart {
  text: string;
  html: string;
}

function splitHead(raw: string): ParsedPart {
  const at = raw.indexOf('\r\n\r\n');
  const head = (at < 0 ? raw : raw.slice(0, at)).replace(/\r\n(?=[ \t])/g, '');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body: at < 0 ? '' : raw.slice(at + 4) };
}

function decode(part: ParsedPart): string {
  const cte = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (cte === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') {
    const s = part.body.replace(/=\r\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const hex = s.slice(i + 1, i + 3);
      if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return part.body;
}

export function parseMail(raw: string): ParsedMail {
  const top = splitHead(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(top.headers['content-type'] ?? '')?.[1];
  const parts = boundary
    ? top.body
        .split(`--${boundary}`)
        .slice(1, -1)
        // The CRLF before a delimiter belongs to the delimiter (RFC 2046).
        .map((p) => splitHead(p.replace(/^\r\n/, '').replace(/\r\n$/, '')))
    : [top];
  const of = (type: string) => {
    const p = parts.find((x) => (x.headers['content-type'] ?? 'text/plain').startsWith(type));
    return p ? decode(p) : '';
  };
  return { ...top, text: of('text/plain'), html: of('text/html') };
}
