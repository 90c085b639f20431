// The human report of `fortros-init check`: the resolved graph, every problem as `path: message`, a summary.
import {
  DOWN_SIGNAL_DEFAULT,
  RESTART_DELAY_MAX_DEFAULT_MS,
  TIMEOUT_DOWN_DEFAULT_MS,
  TIMEOUT_KILL_DEFAULT_MS,
  TIMEOUT_UP_DEFAULT_MS,
} from './constants.js';
import { topologicalOrder } from './graph.js';
import { describeHealthProbe } from './health-settings.js';
import type { CompiledTree, LoadProblem, OneshotCommand, ServiceDefinition } from './types.js';

function commandText(c: OneshotCommand): string {
  return c.kind === 'exec' ? 'exec' : 'execlineb -P';
}

/** The settings worth showing: everything that differs from the default. */
function details(def: ServiceDefinition): string[] {
  const out: string[] = [];
  if (def.type === 'bundle') {
    out.push(`contents: ${def.contents.join(', ') || '(empty)'}`);
    if (def.essential) out.push('essential');
    return out;
  }
  if (def.dependencies.length > 0) out.push(`needs: ${def.dependencies.join(', ')}`);
  if (def.template) out.push(`instance of ${def.template.template} (param ${JSON.stringify(def.template.param)})`);
  if (def.up) out.push(`up: ${commandText(def.up)}`);
  if (def.down) out.push(`down: ${commandText(def.down)}`);
  if (def.runInterpreter) out.push(`run via ${def.runInterpreter.join(' ')}`);
  if (def.finish) out.push(def.finishInterpreter ? `finish via ${def.finishInterpreter.join(' ')}` : 'finish');
  if (def.notificationFd !== undefined) out.push(`notification-fd ${def.notificationFd}`);
  if (def.timeoutUpMs !== TIMEOUT_UP_DEFAULT_MS) out.push(`timeout-up ${def.timeoutUpMs}ms`);
  if (def.timeoutDownMs !== TIMEOUT_DOWN_DEFAULT_MS) out.push(`timeout-down ${def.timeoutDownMs}ms`);
  if (def.timeoutKillMs !== TIMEOUT_KILL_DEFAULT_MS) out.push(`timeout-kill ${def.timeoutKillMs}ms`);
  if (def.downSignal !== DOWN_SIGNAL_DEFAULT) out.push(`down-signal ${def.downSignal}`);
  if (def.type === 'longrun' && def.restartDelayMaxMs !== RESTART_DELAY_MAX_DEFAULT_MS) {
    out.push(`restart-delay-max ${def.restartDelayMaxMs}ms`);
  }
  if (def.health) out.push(`health-check ${describeHealthProbe(def.health.probe)} every ${def.health.intervalMs}ms`);
  if (def.producerFor !== undefined) out.push(`producer-for ${def.producerFor}`);
  if (def.consumerFor.length > 0) out.push(`consumer-for ${def.consumerFor.join(', ')}`);
  if (def.pipelineName !== undefined) out.push(`pipeline ${def.pipelineName}`);
  if (def.essential) out.push('essential');
  const env = Object.keys(def.env);
  if (env.length > 0) out.push(`env: ${env.join(', ')}`); // names only: values may be secrets
  if (def.envUnset && def.envUnset.length > 0) out.push(`unset: ${def.envUnset.join(', ')}`);
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Every problem of the tree: tree-level ones first, then by service name. */
export function allProblems(tree: CompiledTree): LoadProblem[] {
  return [...tree.problems, ...[...tree.failed.values()].flat()];
}

export function formatCheckReport(tree: CompiledTree): { text: string; ok: boolean } {
  const lines: string[] = [];
  const sources = tree.sources ?? [tree.source];
  lines.push(`service tree: ${sources.join(', ')}`);

  let order: string[];
  try {
    order = topologicalOrder(tree);
  } catch {
    order = [...tree.services.values()].filter((d) => d.type !== 'bundle').map((d) => d.name);
  }
  const bundles = [...tree.services.values()].filter((d) => d.type === 'bundle').map((d) => d.name).sort();
  const shown = [...order, ...bundles];
  const width = Math.max(0, ...shown.map((n) => n.length), ...[...tree.failed.keys()].map((n) => n.length));
  lines.push('', `services (${tree.services.size}, in start order):`);
  for (const name of shown) {
    const def = tree.services.get(name)!;
    lines.push(`  ${name.padEnd(width)}  ${def.type.padEnd(7)}  ${details(def).join('; ')}`.trimEnd());
  }
  if (tree.templates && tree.templates.size > 0) {
    lines.push('', `templates (${tree.templates.size}):`);
    for (const def of tree.templates.values()) lines.push(`  ${def.name.padEnd(width)}  ${def.type}`);
  }
  if (tree.failed.size > 0) {
    lines.push('', `failed (${tree.failed.size}):`);
    for (const [name, list] of tree.failed) lines.push(`  ${name.padEnd(width)}  ${plural(list.length, 'problem')}`);
  }

  const problems = allProblems(tree);
  if (problems.length > 0) {
    lines.push('', `problems (${problems.length}):`);
    for (const p of problems) lines.push(`${p.path}: ${p.message}`);
  }
  const ok = problems.length === 0;
  lines.push(
    '',
    ok
      ? `ok: ${plural(tree.services.size, 'service')}, no problems`
      : `FAILED: ${plural(tree.services.size, 'service')} ok, ${tree.failed.size} failed, ${plural(problems.length, 'problem')}`,
  );
  return { text: `${lines.join('\n')}\n`, ok };
}
