// fortctl's entry: wire the process (argv, env, stdout, signals) to the CLI and exit with its code.
import { runCli } from './cli/run-cli.js';
import { terminalOutput } from './cli/terminal-output.js';
import { ExitCode } from './cli/exit-codes.js';
import { FORCE_EXIT_AFTER_MS } from './constants.js';

const interrupt = new AbortController();
let interrupts = 0;
// First Ctrl-C / SIGTERM: cancel the call or stream in flight and finish normally. Second: leave at once.
const onSignal = (): void => {
  interrupts += 1;
  if (interrupts > 1) process.exit(ExitCode.Failed);
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A closed pipe (`fortctl logs -f web | head`) ends the command quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') console.error(`fortctl: stdout: ${err.message}`);
  interrupt.abort();
});

const code = await runCli(process.argv.slice(2), { env: process.env, out: terminalOutput(process.env), signal: interrupt.signal, stdin: process.stdin });
process.exitCode = code;
// Everything is written and the client closed; should any handle linger, do not hang the shell.
setTimeout(() => process.exit(code), FORCE_EXIT_AFTER_MS).unref();
