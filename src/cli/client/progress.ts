import { escapeControl } from '../../util/index.js';
import type { Output } from './output.js';

export interface Progress {
  update(text: string): void;
  /** Clears the spinner line (on a terminal). */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Live progress: on a terminal one spinner line rewritten in place (to stderr, so stdout stays
 * clean for pipes); otherwise each new message once, as a plain line.
 */
export function createProgress(
  out: Output,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): Progress {
  let text = '';
  let last = '';
  if (!out.tty || stream.isTTY !== true) {
    return {
      update(next) {
        if (next !== last) out.line(`  ${next}`);
        last = next;
      },
      stop() {},
    };
  }
  let frame = 0;
  const draw = () => {
    stream.write(`\r\u001b[2K${out.color.cyan(FRAMES[frame % FRAMES.length] ?? '*')} ${escapeControl(text)}`);
    frame++;
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update(next) {
      if (next !== last && last !== '') {
        // keep a record of finished steps above the spinner
        stream.write(`\r\u001b[2K${out.color.dim(`  ${escapeControl(last)}`)}\n`);
      }
      last = next;
      text = next;
      draw();
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\u001b[2K');
    },
  };
}
