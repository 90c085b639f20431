// Every fortctl command, in the order help lists them.
import type { CommandSpec } from './command.js';
import { completionCommand } from './completion.js';
import { restartCommand, signalCommand, startCommand, stopCommand } from './control.js';
import { graphCommand } from './graph.js';
import { keyCommand } from './keys.js';
import { membersCommand, nodeCommand, orgCommand, workloadCommand } from './maintainer.js';
import { poweroffCommand, rebootCommand, shutdownCommand } from './power.js';
import { reloadCommand } from './reload.js';
import { servicesCommand, statusCommand } from './services.js';
import { eventsCommand, logsCommand } from './streams.js';
import { blameCommand, plotCommand } from './timeline.js';
import { waitCommand } from './wait.js';
import { workloadsCommand } from './workloads.js';

export const COMMANDS: readonly CommandSpec[] = [
  servicesCommand,
  statusCommand,
  startCommand,
  stopCommand,
  restartCommand,
  signalCommand,
  waitCommand,
  logsCommand,
  eventsCommand,
  graphCommand,
  blameCommand,
  plotCommand,
  reloadCommand,
  shutdownCommand,
  rebootCommand,
  poweroffCommand,
  keyCommand,
  nodeCommand,
  membersCommand,
  orgCommand,
  workloadCommand,
  workloadsCommand,
  completionCommand(() => COMMANDS),
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
