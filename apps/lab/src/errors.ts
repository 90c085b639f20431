// The error classes of fortros-lab and its library, one per condition; each message names the lab, node or file.

/** Bad command line: exit code 2. */
export class LabUsageError extends Error {
  override name = 'LabUsageError';
}

export class LabExistsError extends Error {
  override name = 'LabExistsError';
  constructor(readonly lab: string, why: string) {
    super(`lab ${lab} exists already (${why}): use it, or \`fortros-lab down --name ${lab}\` first`);
  }
}

export class LabNotFoundError extends Error {
  override name = 'LabNotFoundError';
  constructor(readonly lab: string, stateDir: string) {
    super(`no lab ${lab}: no state in ${stateDir}`);
  }
}

export class NoLabChosenError extends Error {
  override name = 'NoLabChosenError';
  constructor(labs: readonly string[], base: string) {
    super(labs.length === 0 ? `no lab under ${base}: start one with \`fortros-lab up N\`` : `several labs under ${base} (${labs.join(', ')}): say which with --name`);
  }
}

export class NodeNotFoundError extends Error {
  override name = 'NodeNotFoundError';
  constructor(readonly lab: string, readonly node: string, known: readonly string[]) {
    super(`lab ${lab} has no node ${node} (it has ${known.join(', ') || 'none'})`);
  }
}

export class NodeRunningError extends Error {
  override name = 'NodeRunningError';
  constructor(readonly lab: string, readonly node: string, pid: number) {
    super(`${node} of lab ${lab} is running (init pid ${pid}): \`fortros-lab kill ${node}\` first`);
  }
}

export class NodeBootError extends Error {
  override name = 'NodeBootError';
  constructor(readonly node: string, why: string, logTail = '') {
    super(`${node} did not boot: ${why}${logTail ? `\nlast lines of its init log:\n${logTail}` : ''}`);
  }
}

export class StateFileError extends Error {
  override name = 'StateFileError';
  constructor(readonly file: string, why: string) {
    super(`${file}: ${why}`);
  }
}

export class FortctlFailedError extends Error {
  override name = 'FortctlFailedError';
  constructor(readonly node: string, args: readonly string[], code: number | undefined, stderr: string) {
    super(`fortctl ${args.join(' ')} on ${node}: exit ${code ?? 'by signal'}: ${stderr.trim()}`);
  }
}

export class PollTimeoutError extends Error {
  override name = 'PollTimeoutError';
  constructor(what: string, timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

export class NeedsRootError extends Error {
  override name = 'NeedsRootError';
  constructor() {
    super('needs root (network namespaces, WireGuard, nftables)');
  }
}

export class NodeNotRunningError extends Error {
  override name = 'NodeNotRunningError';
  constructor(readonly lab: string, readonly node: string) {
    super(`${node} of lab ${lab} is not running: \`fortros-lab restart ${node}\` first`);
  }
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(readonly port: number, tries: number) {
    super(tries > 1 ? `127.0.0.1:${port}-${port + tries - 1} are all in use: give a free one with --port` : `127.0.0.1:${port} is in use: give a free port with --port`);
  }
}

/** The relay inside a node's namespace did not start, or ended while `console` served. */
export class RelayFailedError extends Error {
  override name = 'RelayFailedError';
  constructor(readonly lab: string, readonly node: string, why: string) {
    super(`the console relay into ${node} of lab ${lab} ${why}`);
  }
}
