// The remote program's output, read back: everything up to the line holding this run's nonce is the login's own
// chatter (a banner, a motd) and is skipped; after it come frames "TAG ERRNO PATHLEN DATALEN\n" + path + data,
// whose lengths are counted by the remote side, so no byte in a file or a program's output can end a frame early
// or start a false one.

export interface Frame {
  tag: string;
  /** `-`, an errno code, or (for E frames) a program's exit status. */
  status: string;
  path: string;
  data: Buffer;
}

const HEADER = /^([A-Z]) (\S+) (\d+) (\d+)$/;

export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);
  private started = false;
  /** Set when the output broke the framing: what came after is not read. */
  broken: string | undefined;
  /** The final frame came: the remote program ran to its end. */
  complete = false;

  constructor(
    private readonly nonce: string,
    private readonly onFrame: (f: Frame) => void,
  ) {}

  /** Whether the nonce line came, so the program itself runs (not only the login shell or sudo). */
  get began(): boolean {
    return this.started;
  }

  /** Chunks that came after `buffered`, joined only once a frame's whole length is there. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** How many bytes the frame at the start of `buffered` needs, once its header is read. */
  private needed = 0;

  push(chunk: Buffer): void {
    if (this.broken || this.complete) return;
    // A large frame comes in many chunks: joining each to the rest would copy it over and over.
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.started && this.buffered.length + this.pendingBytes < this.needed) return;
    this.buffered = Buffer.concat([this.buffered, ...this.pending]);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.started && !this.findStart()) return;
    this.drain();
  }

  private findStart(): boolean {
    const marker = Buffer.from(`\n${this.nonce}\n`);
    // The program prints a newline first, so the nonce starts a line even after a banner without one.
    const at = this.buffered.indexOf(marker);
    if (at < 0) {
      // Keep only what could still be the start of the marker.
      if (this.buffered.length > marker.length) this.buffered = this.buffered.subarray(this.buffered.length - marker.length);
      return false;
    }
    this.buffered = this.buffered.subarray(at + marker.length);
    this.started = true;
    return true;
  }

  private drain(): void {
    for (;;) {
      const eol = this.buffered.indexOf(10);
      if (eol < 0) {
        if (this.buffered.length > 64) this.broken = 'a frame header longer than any the program writes';
        return;
      }
      const header = HEADER.exec(this.buffered.subarray(0, eol).toString('latin1'));
      if (!header) {
        this.broken = `an unexpected line after the program's start: ${JSON.stringify(this.buffered.subarray(0, Math.min(eol, 60)).toString('latin1'))}`;
        return;
      }
      const [, tag, status, pathLen, dataLen] = header as unknown as [string, string, string, string, string];
      const start = eol + 1;
      const end = start + Number(pathLen) + Number(dataLen);
      if (this.buffered.length < end) {
        this.needed = end;
        return;
      }
      this.needed = 0;
      const path = this.buffered.subarray(start, start + Number(pathLen)).toString('utf8');
      const data = this.buffered.subarray(start + Number(pathLen), end);
      this.buffered = this.buffered.subarray(end);
      if (tag === 'Z') {
        this.complete = true;
        return;
      }
      this.onFrame({ tag, status, path, data });
    }
  }
}
