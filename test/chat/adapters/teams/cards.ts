import type { TeamsMessage } from '../../../support/emulators/teams.js';

type Element = Record<string, unknown>;

function walk(elements: Element[], out: string[]): void {
  for (const e of elements) {
    if (e.type === 'TextBlock' && typeof e.text === 'string') out.push(e.text);
    if (e.type === 'CodeBlock' && typeof e.codeSnippet === 'string') out.push(e.codeSnippet);
    if (e.type === 'FactSet')
      for (const f of e.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
    if (e.type === 'ActionSet') for (const a of e.actions as Element[]) out.push(`[${String(a.title)}]`);
    if (e.type === 'Container') walk(e.items as Element[], out);
  }
}

/** What a person reads on a bot message's Adaptive Card, as lines. */
export function cardText(message: TeamsMessage | undefined): string {
  const attachments =
    (message?.activity.attachments as { content?: { body?: Element[] } }[] | undefined) ?? [];
  const out: string[] = [];
  for (const attachment of attachments) walk(attachment.content?.body ?? [], out);
  return out.join('\n');
}

/** The verbs of the Action.Execute buttons on a bot message. */
export function verbsOf(message: TeamsMessage | undefined): string[] {
  const attachments =
    (message?.activity.attachments as { content?: { body?: Element[] } }[] | undefined) ?? [];
  return attachments.flatMap((a) =>
    (a.content?.body ?? []).flatMap((e) =>
      e.type === 'ActionSet'
        ? (e.actions as Element[]).flatMap((x) => (typeof x.verb === 'string' ? [x.verb] : []))
        : [],
    ),
  );
}
