/** Everything a notice says before it is laid out for a medium: shared by remediation and scanner notices. */

export type NoticeKind =
  | 'diagnosed'
  | 'reminder'
  | 'escalation'
  | 'verification_failed'
  | 'manual_retry_needed'
  | 'completed'
  | 'provisioning_off'
  | 'timed_out'
  | 'cancelled'
  | 'failed'
  | 'service_unavailable'
  | 'deprovision_approval_needed';

export type ScanNoticeKind = 'scan_failed' | 'scan_recovered';

export interface UserList {
  title: string;
  lines: string[];
  /** How many more were left out of `lines`. */
  more: number;
}

/** A short line with code spans (ids, phases), for Slack's context block. */
export type ContextLine = Array<string | { code: string }>;

/** Everything a notice says, before it is laid out for a medium. */
export interface NoticeContent {
  kind: NoticeKind | ScanNoticeKind;
  subject: string;
  /** One or two sentences: what happened and what it means. */
  headline: string;
  /** What it is about, one sentence (the text, Markdown and email footer). */
  footer: string;
  /** The same as Slack's context lines. */
  context: ContextLine[];
  /** The command that shows everything a notice leaves out (a cut list, Slack's truncation). */
  fullReport: string;
  /** What failed: counts and since when. */
  facts: string[];
  /** Why: the most likely cause and its evidence. */
  cause?: { title: string; evidence: string[] };
  otherCauses: string[];
  steps: string[];
  /** The command to run when done, and how to introduce it. */
  command?: { intro: string; line: string };
  users: UserList[];
  uiUrl?: string;
}
