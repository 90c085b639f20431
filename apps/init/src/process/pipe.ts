// Raw pipes for log pipelines: pipe2(2) with O_CLOEXEC, so only the child given an end (as its fd 0 or 1) holds it.
import { constants } from 'node:os';
import { loadLibc, O_CLOEXEC } from '../pid1/libc.js';

/** Creates a pipe: [read end, write end]; both close on exec. Throws an Error naming the errno. */
export type PipeMaker = () => [number, number];

export const createCloexecPipe: PipeMaker = () => {
  const libc = loadLibc();
  const fds = new Int32Array(2);
  if (libc.pipe2(fds, O_CLOEXEC) !== 0) {
    const errno = libc.errno();
    const name = Object.entries(constants.errno).find(([, n]) => n === errno)?.[0] ?? `errno ${errno}`;
    throw new Error(`pipe2: ${name}`);
  }
  return [fds[0]!, fds[1]!];
};
