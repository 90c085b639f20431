// The Output commands write through, bound to this process's stdout and stderr.
import type { Output } from '../commands/command.js';
import { wantsColour } from '../render/colour.js';

export function terminalOutput(env: Readonly<Record<string, string | undefined>>): Output {
  return {
    line: (text) => void process.stdout.write(`${text}\n`),
    write: (text) => void process.stdout.write(text),
    error: (text) => void process.stderr.write(`${text}\n`),
    bytes: (data) => void process.stdout.write(data),
    colour: wantsColour(process.stdout.isTTY === true, env),
  };
}
