import type { ReactNode, Ref } from 'react';
import type { DiffLine } from '../lib/change-lines.js';
import { type HighlightedLine, highlight, highlightLine, type Token } from '../lib/highlight.js';

function Tokens({ tokens }: { tokens: readonly Token[] }) {
  return (
    <>
      {tokens.map((token, i) =>
        token.type === 'text' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: tokens of one line never reorder
          <span key={i}>{token.text}</span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: tokens of one line never reorder
          <span key={i} className={`tok-${token.type}`}>
            {token.text}
          </span>
        ),
      )}
    </>
  );
}

/** A scrolling block (code, a log) keyboard users can reach to scroll: a labelled region. */
export function ScrollRegion({
  label,
  className,
  children,
  ref,
}: {
  label: string;
  className: string;
  children: ReactNode;
  ref?: Ref<HTMLElement>;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling block must be reachable by keyboard to scroll it (WCAG 2.1.1)
    <section className={className} aria-label={label} tabIndex={0} ref={ref}>
      {children}
    </section>
  );
}

function Lines({ lines, label }: { lines: readonly HighlightedLine[]; label: string }) {
  return (
    <ScrollRegion className="code" label={label}>
      <pre>
        <code>
          {lines.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a rendered text's lines never reorder
            <span key={i} className={`line line-${line.kind}`}>
              <Tokens tokens={line.tokens} />
              {'\n'}
            </span>
          ))}
        </code>
      </pre>
    </ScrollRegion>
  );
}

/** A highlighted block of YAML or of a Wheelhouse diff (its `+ - ~ !` lines coloured). */
export function CodeView({ text, label, diff = true }: { text: string; label: string; diff?: boolean }) {
  return <Lines lines={highlight(text, { diff })} label={label} />;
}

const KIND: Readonly<Record<DiffLine['sign'], HighlightedLine['kind']>> = {
  ' ': 'plain',
  '+': 'add',
  '-': 'del',
  '!': 'drift',
};

/** Desired-vs-live lines (from `changeLines`): the sign column, then highlighted YAML. */
export function DiffLinesView({ lines, label }: { lines: readonly DiffLine[]; label: string }) {
  const highlighted = lines.map((line): HighlightedLine => {
    const body = highlightLine(line.text, { diff: false });
    return {
      kind: KIND[line.sign],
      tokens: [{ type: 'sign', text: `${line.sign} ` }, ...body.tokens],
    };
  });
  return <Lines lines={highlighted} label={label} />;
}
