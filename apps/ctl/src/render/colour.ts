// Colour for people at a terminal: only when stdout is one, never with NO_COLOR (no-color.org) or TERM=dumb.
import type { StateName } from '@fortros/views';

const ANSI: Readonly<Record<StateName, string>> = {
  inactive: '2', // dim
  blocked: '33', // yellow
  starting: '36', // cyan
  ready: '32', // green
  stopping: '35', // magenta
  backoff: '33;1', // bold yellow
  failed: '31;1', // bold red
  unknown: '0',
};

/** Whether to colour: a terminal, and neither NO_COLOR (any non-empty value) nor TERM=dumb. */
export function wantsColour(isTty: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTty && !env['NO_COLOR'] && env['TERM'] !== 'dumb';
}

/** `text` in the colour of `state` (text as is for a name that is not a state). */
export function paintState(state: string, text: string): string {
  const code = (ANSI as Record<string, string | undefined>)[state];
  return code === undefined ? text : `\u001b[${code}m${text}\u001b[0m`;
}
