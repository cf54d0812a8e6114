import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorMessage, type Logger } from '../../../core/index.js';

/**
 * What the bot needs to post into a conversation without being asked (a proactive
 * notification): where its connector is and what kind of conversation it is. Learned from
 * verified activities only; kept in the adapter's state directory across restarts.
 */
export interface ConversationReference {
  /** The conversation id without `;messageid=` (a Teams channel id `19:...@thread.tacv2`, a chat id). */
  conversationId: string;
  /** `channel`, `groupChat` or `personal`. */
  conversationType?: string;
  serviceUrl: string;
  tenantId?: string;
  /** The Bot Framework channel (`msteams`). */
  channelId: string;
  updatedAt: string;
}

export interface ConversationStore {
  load(): Promise<void>;
  get(conversationId: string): ConversationReference | undefined;
  /** Remember (and persist) a reference; unchanged references are not written again. */
  remember(reference: ConversationReference): Promise<void>;
  all(): ConversationReference[];
}

const MAX_REFERENCES = 10_000;

export function createConversationStore(options: { file: string; log: Logger }): ConversationStore {
  const references = new Map<string, ConversationReference>();
  let writing: Promise<void> = Promise.resolve();

  const same = (a: ConversationReference, b: ConversationReference) =>
    a.serviceUrl === b.serviceUrl &&
    a.conversationType === b.conversationType &&
    a.tenantId === b.tenantId &&
    a.channelId === b.channelId;

  async function persist(): Promise<void> {
    const snapshot = JSON.stringify({ version: 1, conversations: [...references.values()] }, null, 2);
    const tmp = `${options.file}.${process.pid}.tmp`;
    await mkdir(dirname(options.file), { recursive: true });
    await writeFile(tmp, snapshot, { mode: 0o600 });
    await rename(tmp, options.file);
  }

  return {
    async load() {
      let text: string;
      try {
        text = await readFile(options.file, 'utf8');
      } catch {
        return; // nothing stored yet
      }
      try {
        const parsed = JSON.parse(text) as { conversations?: ConversationReference[] };
        for (const ref of parsed.conversations ?? []) {
          if (typeof ref?.conversationId === 'string' && typeof ref.serviceUrl === 'string') {
            references.set(ref.conversationId, ref);
          }
        }
      } catch (err) {
        options.log.warn(
          { file: options.file, err: errorMessage(err) },
          'the stored Teams conversation references are not readable; they are relearned as people talk to the bot',
        );
      }
    },
    get: (id) => references.get(id),
    async remember(reference) {
      const known = references.get(reference.conversationId);
      if (known && same(known, reference)) return;
      references.delete(reference.conversationId);
      references.set(reference.conversationId, reference);
      if (references.size > MAX_REFERENCES) {
        const oldest = references.keys().next().value;
        if (oldest !== undefined) references.delete(oldest);
      }
      writing = writing
        .then(persist)
        .catch((err) =>
          options.log.warn(
            { file: options.file, err: errorMessage(err) },
            'could not store a Teams conversation reference',
          ),
        );
      await writing;
    },
    all: () => [...references.values()],
  };
}
