import {
  healthPresentation,
  type Presentation,
  resultPresentation,
  syncPresentation,
} from '../lib/status.js';
import { Icon } from './icon.js';

/** Colour, icon and word together: readable without colour, and by screen readers. */
export function Badge({ presentation, title }: { presentation: Presentation; title?: string }) {
  return (
    <span className="badge" data-tone={presentation.tone} title={title}>
      <Icon name={presentation.icon} />
      <span>{presentation.label}</span>
    </span>
  );
}

export function HealthBadge({
  status,
  message,
}: {
  status: string | undefined;
  message?: string | undefined;
}) {
  return <Badge presentation={healthPresentation(status)} {...(message ? { title: message } : {})} />;
}

export function SyncBadge({ status }: { status: string | undefined }) {
  return <Badge presentation={syncPresentation(status)} />;
}

export function ResultBadge({ result }: { result: string | undefined }) {
  return <Badge presentation={resultPresentation(result)} />;
}

/** A marker such as "locked" or "pinned", with its icon. */
export function Marker({ icon, label, title }: { icon: 'lock' | 'pin'; label: string; title?: string }) {
  return (
    <span className="marker" data-marker={icon} title={title}>
      <Icon name={icon} />
      <span>{label}</span>
    </span>
  );
}
