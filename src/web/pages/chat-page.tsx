import { useEffect, useRef, useState } from 'react';
import { api, describeError, seg } from '../api/client.js';
import type { AppSummary, ChatMessage, CommandEntry } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { ChatMessageView } from '../components/chat-message.js';
import { Composer } from '../components/composer.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { paths } from '../lib/routes.js';
import { groupThreads } from '../lib/threads.js';
import { Link } from '../router/router.js';

/** The built-in chat: the same commands, access policy and approvals as every other chat. */
export function ChatPage({ room }: { room: string }) {
  const messages = useFetch<{ messages: ChatMessage[] }>(
    `/api/v1/chat/rooms/${seg(room)}/messages?limit=200`,
    (e) => e.type === 'chat.message' && e.room === room,
  );
  const rooms = useFetch<{ rooms: string[] }>('/api/v1/chat/rooms', (e) => e.type === 'chat.message');
  const commands = useFetch<{ commands: CommandEntry[] }>('/api/v1/chat/commands');
  const apps = useFetch<{ apps: AppSummary[] }>('/api/v1/apps');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [replyTo, setReplyTo] = useState<{ id: string; label: string } | undefined>();
  const end = useRef<HTMLDivElement>(null);
  const count = messages.data?.messages.length ?? 0;
  useEffect(() => {
    document.title = `#${room} · Chat · Wheelhouse`;
  }, [room]);
  useEffect(() => {
    if (count > 0) end.current?.scrollIntoView({ block: 'end' });
  }, [count]);

  const send = async (text: string): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/v1/chat/rooms/${seg(room)}/messages`, {
        text,
        ...(replyTo ? { thread: replyTo.id } : {}),
      });
      messages.reload();
      return true;
    } catch (err) {
      setError(describeError(`send “${text}”`, err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const click = async (messageId: string, action: string, value: string) => {
    setError(undefined);
    try {
      await api.post(`/api/v1/chat/rooms/${seg(room)}/actions`, { messageId, action, value });
    } catch (err) {
      setError(describeError(`${action === 'approval.deny' ? 'deny' : 'approve'} request ${value}`, err));
    }
  };

  const roomNames = [...new Set(['ops', ...(rooms.data?.rooms ?? []), room])].sort();
  const threads = groupThreads(messages.data?.messages ?? []);
  return (
    <div className="chat">
      <nav className="rooms" aria-label="Rooms">
        <h2 className="small-heading">Rooms</h2>
        <ul className="room-links">
          {roomNames.map((name) => (
            <li key={name}>
              <Link
                to={paths.room(name)}
                className="room-link"
                {...(name === room ? { 'aria-current': 'page' as const } : {})}
              >
                #{name}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section className="room" aria-labelledby="room-title">
        <h1 id="room-title">#{room}</h1>
        {messages.error ? (
          <ErrorNotice>Could not load the messages: {messages.error.message}</ErrorNotice>
        ) : null}
        {!messages.data && !messages.error ? <Loading what="messages" /> : null}
        <ol className="threads" aria-label={`Threads in #${room}`}>
          {threads.map((thread) => (
            <li key={thread.id} className="thread" data-thread={thread.id}>
              <article aria-label={`Thread: ${thread.root?.text ?? thread.id}`}>
                {thread.root ? <ChatMessageView message={thread.root} onButton={click} busy={busy} /> : null}
                {thread.replies.length > 0 ? (
                  <div className="replies">
                    {thread.replies.map((reply) => (
                      <ChatMessageView key={reply.id} message={reply} onButton={click} busy={busy} />
                    ))}
                  </div>
                ) : null}
                <button
                  type="button"
                  className="button button-quiet button-small"
                  onClick={() => setReplyTo({ id: thread.id, label: thread.root?.text ?? thread.id })}
                >
                  Reply in thread<span className="visually-hidden">: {thread.root?.text ?? thread.id}</span>
                </button>
              </article>
            </li>
          ))}
        </ol>
        {messages.data && threads.length === 0 ? (
          <p className="empty">No messages in #{room} yet. Type a command below: status, help, sync web…</p>
        ) : null}
        <div ref={end} />
        {error ? <ErrorNotice onDismiss={() => setError(undefined)}>{error}</ErrorNotice> : null}
        <Composer
          commands={commands.data?.commands ?? []}
          apps={(apps.data?.apps ?? []).map((a) => a.name)}
          onSend={send}
          busy={busy}
          replyingTo={replyTo?.label}
          onCancelReply={() => setReplyTo(undefined)}
        />
      </section>
    </div>
  );
}
