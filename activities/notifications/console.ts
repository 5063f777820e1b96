/** The console channel: the worker's log, always available, the fallback when nothing else is set. */
import { renderNotice } from '../../domain/notice';
import type { SendContext, SendResult } from './context';

export async function sendToConsole(ctx: SendContext, log: (line: string) => void): Promise<SendResult> {
  const r = renderNotice(ctx.notice);
  log(`[okta-remediation] ${r.subject}\n${r.text}`);
  return `logged "${r.subject}" on the worker's console`;
}
