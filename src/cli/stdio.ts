// Standard output and error written with plain write(2) calls. Creating process.stdout builds a stream
// (and loads the tty or net machinery behind it) for text that is written once; on Linux those streams are
// synchronous for files, pipes and terminals anyway, so nothing is lost by writing directly.
import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';

// A non-blocking descriptor inherited from the parent answers EAGAIN while the reader is behind: wait a
// millisecond without spinning and try again, so that output stays synchronous and in order (the CLI exits
// right after its last write, which would drop anything left to a stream).
const pause = new Int32Array(new SharedArrayBuffer(4));

function write(fd: 1 | 2, text: string): void {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length > 0) {
    let n: number;
    try {
      n = writeSync(fd, buf);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // The reader went away (`plumbline audit | head`): the rest has nowhere to go.
      if (code === 'EPIPE') return;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      throw err;
    }
    buf = buf.subarray(n);
  }
}

export const writeOut = (text: string): void => write(1, text);
export const writeErr = (text: string): void => write(2, text);

/** Whether standard output is a terminal (colour decisions). */
export const stdoutIsTerminal = (): boolean => isatty(1);
