/** Reads a password from the terminal without echo (-K), or one line from stdin when it is not a TTY. */
import { Secret } from '../command.js';
import { MusterError } from '../../shared/errors.js';

export async function askPassword(prompt: string): Promise<Secret> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  if (!stdin.isTTY) {
    const line = await readLine(stdin);
    process.stderr.write('\n');
    return new Secret(line);
  }
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(new Secret(buf)));
        if (ch === '\u0003') return done(() => reject(new MusterError('E_OPTION', 'interrupted')));
        if (ch === '\u007f') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    const done = (f: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      f();
    };
    stdin.on('data', onData);
  });
}

function readLine(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('utf8');
      const i = buf.indexOf('\n');
      if (i >= 0) finish(buf.slice(0, i));
    };
    const finish = (s: string) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.pause();
      resolve(s.replace(/\r$/, ''));
    };
    const onEnd = () => finish(buf);
    stream.on('data', onData);
    stream.on('end', onEnd);
  });
}
