// A stand-in for a USB or serial printer in tests: a pseudo-terminal, which is a real character
// device (/dev/pts/N) the kernel hands out without hardware. A python3 child opens the pair, puts
// the device in raw mode (bytes pass unchanged, no newline translation), prints the device's path,
// and then acts as the printer on the other end: reads the label, hangs up part-way, or never reads.
import { spawn, type ChildProcess } from 'node:child_process';

const PRINTER = `
import os, pty, sys, time, tty
mode, n = sys.argv[1], int(sys.argv[2])
m, s = pty.openpty()
tty.setraw(s)
sys.stdout.write(os.ttyname(s) + "\\n")
sys.stdout.flush()
got = 0
if mode == "read":
    while n == 0 or got < n:
        chunk = os.read(m, 65536 if n == 0 else min(65536, n - got))
        if not chunk:
            break
        sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        got += len(chunk)
elif mode == "hangup":
    while got < n:
        got += len(os.read(m, n - got))
    os.close(m)
    time.sleep(60)
else:
    time.sleep(60)
`;

export interface PtyPrinter {
  /** The device file to print to, e.g. /dev/pts/3. */
  path: string;
  /** What the "printer" read (mode 'read'), once it has read all it expected (or was stopped). */
  received: Promise<Buffer>;
  /** What it has read so far. */
  readSoFar(): Buffer;
  stop(): void;
}

/**
 * mode 'read': take exactly `bytes` bytes and exit (0: read until stopped); 'hangup': take `bytes` bytes, then close the
 * line (the writer's next write fails); 'deaf': never read (the writer blocks once buffers fill).
 */
export function startPtyPrinter(mode: 'read' | 'hangup' | 'deaf', bytes = 0): Promise<PtyPrinter> {
  const child: ChildProcess = spawn('python3', ['-c', PRINTER, mode, String(bytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  let resolvePath: (p: string) => void;
  let rejectPath: (e: Error) => void;
  const pathPromise = new Promise<string>((res, rej) => {
    resolvePath = res;
    rejectPath = rej;
  });
  let header: string | null = null;
  child.stdout!.on('data', (c: Buffer) => {
    chunks.push(c);
    if (header !== null) return;
    const all = Buffer.concat(chunks);
    const nl = all.indexOf(0x0a);
    if (nl < 0) return;
    header = all.subarray(0, nl).toString('utf8');
    chunks.splice(0, chunks.length, all.subarray(nl + 1));
    resolvePath(header);
  });
  const exited = new Promise<void>((res) => child.once('close', () => res()));
  child.once('error', (e) => rejectPath(e));
  child.once('close', (code) => rejectPath(new Error(`python3 pty printer exited (${code}) before it was ready`)));
  return pathPromise.then((path) => ({
    path,
    received: exited.then(() => Buffer.concat(chunks)),
    readSoFar: () => Buffer.concat(chunks),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  }));
}
