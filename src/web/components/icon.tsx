import type { IconName } from '../lib/status.js';

const PATHS: Readonly<Record<IconName | 'git' | 'chat' | 'sync' | 'user' | 'hook' | 'door', string>> = {
  check: 'M3 8.5l3.2 3.2L13 4.8',
  cross: 'M4.5 4.5l7 7M11.5 4.5l-7 7',
  pause: 'M5.5 3.5v9M10.5 3.5v9',
  spinner: 'M8 2a6 6 0 1 1-6 6',
  question: 'M6 6.2a2 2 0 1 1 2.9 1.8c-.6.3-.9.7-.9 1.3v.7M8 12.2v.3',
  missing: 'M8 2a6 6 0 0 1 0 12M8 14a6 6 0 0 1 0-12',
  diverge: 'M2.5 5.5h10l-2.5-2.5M13.5 10.5h-10l2.5 2.5',
  clock: 'M8 2a6 6 0 1 1 0 12A6 6 0 0 1 8 2zM8 4.5V8l2.5 1.5',
  lock: 'M4 7.5h8v6H4zM5.5 7.5V5.5a2.5 2.5 0 0 1 5 0v2',
  pin: 'M6 2.5h4M7 2.5v4L4.5 9h7L9 6.5v-4M8 9v4.5',
  ban: 'M8 2a6 6 0 1 1 0 12A6 6 0 0 1 8 2zM3.8 3.8l8.4 8.4',
  git: 'M5 3v10M5 8h3a3 3 0 0 0 3-3V3M11 3a1 1 0 1 1 0 .01M5 13a1 1 0 1 1 0 .01',
  chat: 'M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z',
  sync: 'M3 8a5 5 0 0 1 8.5-3.5L13 6M13 8a5 5 0 0 1-8.5 3.5L3 10M13 2.5V6H9.5M3 13.5V10h3.5',
  user: 'M8 2.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5zM3 13.5a5 5 0 0 1 10 0',
  hook: 'M8 2v6a3 3 0 1 1-3-3M8 2l2 2M8 2L6 4',
  door: 'M3 2.5h7v11H3zM10 8h3.5M12 6l1.5 2-1.5 2',
};

export type AnyIcon = keyof typeof PATHS;

/** A 16×16 line icon. Decorative: the word next to it carries the meaning. */
export function Icon({ name, className }: { name: AnyIcon; className?: string }) {
  return (
    <svg
      className={`icon icon-${name}${className ? ` ${className}` : ''}`}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
