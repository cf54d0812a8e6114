/** The commit message of a write-back: subject, body, and `Wheelhouse-*` trailers. */
export interface CommitMessage {
  subject: string;
  body?: string;
  /** `Wheelhouse-Actor`, `Wheelhouse-Request`, `Wheelhouse-Approved-By` (repeated per approver). */
  trailers: [string, string][];
}

/** One line: trailers and subjects must not carry line breaks (a request text could). */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

export function formatCommitMessage(message: CommitMessage): string {
  const parts = [oneLine(message.subject)];
  if (message.body?.trim()) parts.push(message.body.trim());
  if (message.trailers.length > 0) {
    parts.push(message.trailers.map(([key, value]) => `${key}: ${oneLine(value)}`).join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

export function wheelhouseTrailers(input: {
  actor: string;
  request?: string;
  approvedBy?: readonly string[];
}): [string, string][] {
  const out: [string, string][] = [['Wheelhouse-Actor', input.actor]];
  if (input.request) out.push(['Wheelhouse-Request', input.request]);
  for (const approver of input.approvedBy ?? []) out.push(['Wheelhouse-Approved-By', approver]);
  return out;
}
