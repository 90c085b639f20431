// How each script of a service is executed, as s6-rc executes it after compiling: `run`/`finish` without the
// execute bit through their `#!` line (the argv execve(2) builds for s6-rc-compile's 0755 copy), oneshot
// `up`/`down` text through execline's lexer (`execlineb -P`). Pure but for the PATH lookup of execlineb.
import type { OneshotCommand, ServiceDefinition } from '@fortros/servicedir';
import { EXECLINEB_PROGRAM } from '../constants.js';
import { findProgram } from '../process/program-path.js';

export interface ProgramRequest {
  file: string;
  args: string[];
}

/** `path` run with `args`, through `interpreter` (from its `#!` line) when it is not executable itself. */
function viaInterpreter(path: string, interpreter: readonly string[] | undefined, args: string[]): ProgramRequest {
  if (interpreter === undefined || interpreter.length === 0) return { file: path, args };
  return { file: interpreter[0]!, args: [...interpreter.slice(1), path, ...args] };
}

/** The template param of an instance, passed last to every script ($1 of `run`, `up`, `down`). */
const paramOf = (def: ServiceDefinition): string[] => (def.template ? [def.template.param] : []);

export function runRequest(def: ServiceDefinition): ProgramRequest {
  return viaInterpreter(def.run!, def.runInterpreter, paramOf(def));
}

/** `finish EXITCODE SIGNAL [PARAM]`. */
export function finishRequest(def: ServiceDefinition, args: readonly (string | number)[]): ProgramRequest {
  return viaInterpreter(def.finish!, def.finishInterpreter, [...args.map(String), ...paramOf(def)]);
}

/**
 * A oneshot's `up` or `down`: an executable program is executed; text goes to `execlineb -P -c TEXT` as s6-rc
 * runs it (for a template instance `-S1`, so `$1` is the param). `path` is the PATH execlineb is looked up in;
 * a missing execlineb throws SpawnError.
 */
export function oneshotRequest(def: ServiceDefinition, cmd: OneshotCommand, path: string | undefined): ProgramRequest {
  if (cmd.kind === 'exec') return { file: cmd.path, args: paramOf(def) };
  const execlineb = findProgram(EXECLINEB_PROGRAM, path, 'oneshot up/down files are execline; Debian package execline');
  const param = paramOf(def);
  return { file: execlineb, args: param.length > 0 ? ['-S1', '-c', cmd.script, ...param] : ['-P', '-c', cmd.script] };
}

/** The PATH a service's processes get: its `env/PATH`, else init's, none when `env/PATH` is empty (unset). */
export function servicePath(def: ServiceDefinition, base: NodeJS.ProcessEnv): string | undefined {
  if (def.envUnset?.includes('PATH')) return undefined;
  return def.env.PATH ?? base.PATH;
}
