import type { Block, ChatMessage } from '../api/types.js';
import { actorLabel } from '../lib/format.js';
import { inlineSpans } from '../lib/inline.js';
import { ResultBadge } from './badge.js';
import { CodeView } from './code-view.js';
import { RelativeTime } from './time.js';

export function Inline({ text }: { text: string }) {
  return (
    <>
      {inlineSpans(text).map((span, i) =>
        span.type === 'code' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: spans of one text never reorder
          <code key={i}>{span.text}</code>
        ) : span.type === 'bold' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: spans of one text never reorder
          <strong key={i}>{span.text}</strong>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: spans of one text never reorder
          <span key={i}>{span.text}</span>
        ),
      )}
    </>
  );
}

function BlockView({
  block,
  onButton,
  disabled,
}: {
  block: Block;
  onButton: (action: string, value: string) => void;
  disabled: boolean;
}) {
  switch (block.type) {
    case 'text':
      return (
        <p className="msg-text">
          <Inline text={block.text} />
        </p>
      );
    case 'context':
      return (
        <p className="msg-context">
          <Inline text={block.text} />
        </p>
      );
    case 'fields':
      return (
        <dl className="msg-fields">
          {block.fields.map((field) => (
            <div key={field.label}>
              <dt>{field.label}</dt>
              <dd>
                <Inline text={field.value} />
              </dd>
            </div>
          ))}
        </dl>
      );
    case 'code':
      return <CodeView text={block.text} label="Code from Wheelhouse" diff={block.language === 'diff'} />;
    case 'buttons':
      return (
        <div className="msg-buttons">
          {block.buttons.map((button) => (
            <button
              key={`${button.action}:${button.value}`}
              type="button"
              className={`button button-small${button.style === 'primary' ? ' button-primary' : button.style === 'danger' ? ' button-danger' : ''}`}
              disabled={disabled}
              onClick={() => onButton(button.action, button.value)}
            >
              {button.label}
              <span className="visually-hidden"> {button.value}</span>
            </button>
          ))}
        </div>
      );
  }
}

/** A person's message (its text) or the bot's (its blocks, status and buttons). */
export function ChatMessageView({
  message,
  onButton,
  busy,
}: {
  message: ChatMessage;
  onButton: (messageId: string, action: string, value: string) => void;
  busy: boolean;
}) {
  const body = message.bot ? message.message : undefined;
  return (
    <div
      className={`msg${message.bot ? ' msg-bot' : ''}`}
      data-message={message.id}
      data-status={message.status}
    >
      <p className="msg-meta">
        <span className="msg-author">{message.bot ? 'Wheelhouse' : actorLabel(message.author)}</span>
        <RelativeTime iso={message.createdAt} />
        {message.status && message.status !== 'info' ? <ResultBadge result={message.status} /> : null}
      </p>
      {body ? (
        body.blocks.map((block, i) => (
          <BlockView
            // biome-ignore lint/suspicious/noArrayIndexKey: a message's blocks are replaced as a whole
            key={i}
            block={block}
            disabled={busy}
            onButton={(action, value) => onButton(message.id, action, value)}
          />
        ))
      ) : (
        <p className="msg-text msg-said">{message.text}</p>
      )}
    </div>
  );
}
