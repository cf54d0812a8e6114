import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import type { CommandEntry } from '../api/types.js';
import { type Suggestion, suggest, usageHint } from '../lib/suggest.js';

/**
 * The chat input: a combobox that suggests commands (and app names) as you type. Arrow keys move
 * through the suggestions, Enter or Tab takes one, Escape closes them; Enter otherwise sends.
 */
export function Composer({
  commands,
  apps,
  onSend,
  busy,
  replyingTo,
  onCancelReply,
}: {
  commands: readonly CommandEntry[];
  apps: readonly string[];
  onSend: (text: string) => Promise<boolean>;
  busy: boolean;
  replyingTo: string | undefined;
  onCancelReply: () => void;
}) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(-1);
  const [closed, setClosed] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const suggestions: Suggestion[] = closed ? [] : suggest(text, commands, apps);
  const open = suggestions.length > 0 && text.length > 0;
  const hint = usageHint(text, commands);

  const take = (suggestion: Suggestion) => {
    setText(suggestion.value);
    setActive(-1);
    input.current?.focus();
  };
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const value = text.trim();
    if (!value || busy) return;
    if (await onSend(value)) {
      setText('');
      setActive(-1);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (!open) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => (i + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
    } else if ((event.key === 'Enter' && active >= 0) || (event.key === 'Tab' && !event.shiftKey)) {
      const chosen = suggestions[Math.max(active, 0)];
      if (chosen) {
        event.preventDefault();
        take(chosen);
      }
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setClosed(true);
      setActive(-1);
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      {replyingTo ? (
        <p className="replying">
          Replying in the thread of <code>{replyingTo}</code>{' '}
          <button type="button" className="button button-quiet button-small" onClick={onCancelReply}>
            Cancel reply
          </button>
        </p>
      ) : null}
      <label htmlFor={`${id}-input`}>Message</label>
      <div className="composer-row">
        <div className="combo">
          <input
            id={`${id}-input`}
            ref={input}
            type="text"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls={`${id}-list`}
            aria-describedby={`${id}-hint`}
            {...(open && active >= 0 ? { 'aria-activedescendant': `${id}-opt-${active}` } : {})}
            autoComplete="off"
            spellCheck={false}
            placeholder="a command, e.g. status, sync web, lock web reason"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setClosed(false);
              setActive(-1);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setActive(-1)}
          />
          <div
            id={`${id}-list`}
            role="listbox"
            aria-label="Command suggestions"
            className="suggestions"
            hidden={!open}
          >
            {suggestions.map((s, i) => (
              // biome-ignore lint/a11y/useFocusableInteractive: options stay unfocused; the input points at the active one with aria-activedescendant (WAI-ARIA combobox pattern)
              <div
                key={s.value}
                id={`${id}-opt-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  take(s);
                }}
              >
                <code>{s.label}</code> <span className="hint">{s.detail}</span>
              </div>
            ))}
          </div>
        </div>
        <button type="submit" className="button button-primary" disabled={busy || text.trim() === ''}>
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      <p id={`${id}-hint`} className="hint">
        {hint ? (
          <>
            Usage: <code>{hint}</code>
          </>
        ) : (
          'Every message is a command; type help for the list. Replies come in the message’s thread.'
        )}
      </p>
    </form>
  );
}
