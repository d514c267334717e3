// Standard output and error written with plain write(2) calls. Creating process.stdout builds a stream
// (and loads the tty or net machinery behind it) for text that is written once; on Linux those streams are
// synchronous for files, pipes and terminals anyway, so nothing is lost by writing directly.
import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';

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
      // A non-blocking descriptor inherited from the parent: let the stream wait for it.
      if (code === 'EAGAIN') {
        (fd === 1 ? process.stdout : process.stderr).write(buf);
        return;
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
