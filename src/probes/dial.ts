// How a probe reaches an endpoint: a TCP socket from this machine, or a stream a transport opens for it (the
// host's own listeners are met from the host, over a tunnel when the host is another machine).
import { connect as netConnect } from 'node:net';
import { Duplex } from 'node:stream';

/** Opens a stream to host:port; rejects with an Error whose `code` says why (ECONNREFUSED, ETIMEDOUT ...). */
export type Dialer = (host: string, port: number, timeoutMs: number) => Promise<Duplex>;

/** A stream that is being connected: 'connect' once it is made, 'error' when it is not. */
export type Connecting = Duplex & { readonly connecting: boolean };

/**
 * A stream usable at once, as a net.Socket is: writes wait for the connection, and it emits 'connect'. Without a
 * dialer it is a plain socket from this machine.
 */
export function open(dial: Dialer | undefined, host: string, port: number, timeoutMs: number): Connecting {
  if (!dial) return netConnect({ host, port, autoSelectFamily: false });
  const stream = new DialedStream();
  dial(host, port, Math.max(1, timeoutMs)).then(
    (inner) => stream.attach(inner),
    (err: Error) => stream.destroy(err),
  );
  return stream;
}

class DialedStream extends Duplex {
  connecting = true;
  private inner: Duplex | undefined;
  private pending: Array<[Buffer, BufferEncoding, (e?: Error | null) => void]> = [];

  attach(inner: Duplex): void {
    if (this.destroyed) {
      inner.destroy();
      return;
    }
    this.inner = inner;
    this.connecting = false;
    inner.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.once('end', () => this.push(null));
    inner.once('error', (e: Error) => this.destroy(e));
    inner.once('close', () => this.destroy());
    for (const [chunk, enc, done] of this.pending.splice(0)) inner.write(chunk, enc, done);
    this.emit('connect');
  }

  override _read(): void {
    this.inner?.resume();
  }

  override _write(chunk: Buffer, enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (this.inner) this.inner.write(chunk, enc, done);
    else this.pending.push([chunk, enc, done]);
  }

  override _final(done: () => void): void {
    if (this.inner) this.inner.end(done);
    else done();
  }

  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    this.inner?.destroy();
    done(err);
  }
}
