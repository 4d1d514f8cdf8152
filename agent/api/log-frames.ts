/**
 * Docker's multiplexed log stream -> plain bytes. A container without a TTY sends frames: an 8-byte header
 * (stream type: 0 stdin, 1 stdout, 2 stderr; three zero bytes; the payload size, 32-bit big-endian) and the
 * payload. The demuxer keeps no more than one header between chunks and hands payloads on as they come, so a
 * large frame is streamed, never gathered.
 */
import { Transform } from 'node:stream';

/** The frame header's size. */
export const HEADER_BYTES = 8;

/** A stateful frame parser: feed it chunks, get payload pieces back. */
export class FrameDemuxer {
  private header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  /** payload bytes of the current frame still to come */
  private left = 0;

  /** The payload bytes in `chunk` (pieces of one or more frames), headers removed. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.left > 0) {
        const n = Math.min(this.left, chunk.length - i);
        out.push(chunk.subarray(i, i + n));
        this.left -= n;
        i += n;
        continue;
      }
      const n = Math.min(HEADER_BYTES - this.headerFill, chunk.length - i);
      chunk.copy(this.header, this.headerFill, i, i + n);
      this.headerFill += n;
      i += n;
      if (this.headerFill === HEADER_BYTES) {
        this.left = this.header.readUInt32BE(4);
        this.headerFill = 0;
      }
    }
    return out;
  }

  /** Whether the stream stopped inside a frame (a cut connection), for the log. */
  get midFrame(): boolean {
    return this.left > 0 || this.headerFill > 0;
  }
}

/** A Transform that removes Docker's frame headers. */
export function demuxTransform(): Transform {
  const d = new FrameDemuxer();
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (const piece of d.push(chunk)) this.push(piece);
      done();
    },
  });
}
