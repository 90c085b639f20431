// A minimal QMP client (QEMU Machine Protocol, JSON lines on a unix socket): the greeting, qmp_capabilities, then
// one command; enough to ask a VM for an ACPI powerdown.
import { connect } from 'node:net';
import { QMP_LINE_MAX_BYTES, QMP_TIMEOUT_MS } from '../constants.js';
import { QmpError } from '../errors.js';

/** Runs `command` on the QMP socket at `path`; resolves with its `return`, rejects with QmpError. */
export function qmpExecute(path: string, command: string, timeoutMs = QMP_TIMEOUT_MS): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffer = '';
    let step = 0; // 0: greeting, 1: capabilities answer, 2: command answer
    const finish = (err: Error | undefined, value?: unknown): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new QmpError(path, `no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('error', (err) => finish(new QmpError(path, err.message)));
    socket.on('close', () => finish(new QmpError(path, 'closed before answering')));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > QMP_LINE_MAX_BYTES) return finish(new QmpError(path, `a line longer than ${QMP_LINE_MAX_BYTES} bytes`));
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === '') continue;
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return finish(new QmpError(path, `not JSON: ${line.slice(0, 80)}`));
        }
        if ('event' in msg) continue; // asynchronous events may come at any time
        if ('error' in msg) return finish(new QmpError(path, `${step === 1 ? 'qmp_capabilities' : command}: ${JSON.stringify(msg.error)}`));
        if (step === 0 && 'QMP' in msg) {
          step = 1;
          socket.write('{"execute":"qmp_capabilities"}\n');
        } else if (step === 1 && 'return' in msg) {
          step = 2;
          socket.write(`${JSON.stringify({ execute: command })}\n`);
        } else if (step === 2 && 'return' in msg) {
          return finish(undefined, msg.return);
        }
      }
    });
  });
}
