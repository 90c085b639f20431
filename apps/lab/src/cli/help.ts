// The --help text of fortros-lab and of each of its commands.
import { DEFAULT_STATE_BASE, HOST_CONSOLE_PORT, MAX_LAB_NODES, NODE_CONSOLE_PORT, STATE_DIR_ENV } from '../constants.js';
import type { CommandName } from './args.js';

const GLOBAL = `Flags of every command:
  --name LAB        the lab (2-8 lowercase letters or digits; it prefixes the lab's namespaces and interfaces).
                    up: default the first free lab1, lab2, …; others: default the only lab there is.
  --state-dir DIR   base of the labs' state directories (default $${STATE_DIR_ENV}, else ${DEFAULT_STATE_BASE})
  -h, --help        this text; \`fortros-lab COMMAND --help\` for one command
Exit codes: 0 ok, 1 the operation failed, 2 usage error.`;

const COMMAND_HELP: Record<CommandName, string> = {
  up: `fortros-lab up N [--name LAB]
  Start N (1-${MAX_LAB_NODES}) full FortrOS nodes, each under its own fortros-init in its own network namespace on real
  WireGuard: node1 founds an org, the others join it with tokens from \`fortctl org token create\`. One line per node
  as it becomes ready. The inits outlive this command (own session, logs in the state directory). Refused if lab
  LAB exists (its state directory, namespaces or WireGuard sockets). If a node fails to boot, the log tail is shown
  and everything made so far is removed.`,
  status: `fortros-lab status [--name LAB] [--json]
  Each node: namespace, init pid (and whether it runs), underlay and overlay address, ready, and the live members
  as that node sees them. --json: one object {name, stateDir, netns, nodes: [{name, netns, pid, running, underlay,
  overlay, ready, liveMembers, error}]}.`,
  exec: `fortros-lab exec NODE [--name LAB] -- CMD…
  Run CMD inside NODE's namespace with FORTROS_ROOT set to its root and this repository's node_modules/.bin first
  on PATH, e.g. \`fortros-lab exec node3 -- fortctl services\`. CMD's exit code is passed through (128+N for a
  signal). NODE is node3 or 3.`,
  partition: `fortros-lab partition A,B C,D … [--name LAB]
  Split the underlay: every node listed drops traffic to and from the nodes of the other groups (nftables in the
  node namespaces). Replaces an earlier partition.`,
  heal: `fortros-lab heal [--name LAB]
  Undo every partition.`,
  loss: `fortros-lab loss PERCENT [NODE…] [--name LAB]
  Drop PERCENT (0-100) of the underlay packets each node (or each NODE given) sends and receives; 0 removes it.`,
  kill: `fortros-lab kill NODE [--name LAB]
  kill -9 of the node's whole tree: every process in its namespace (init, services, workloads), by pid. Its root
  stays; \`restart\` boots it again.`,
  restart: `fortros-lab restart NODE [--name LAB]
  Boot a killed node again on its root (its run/ is cleared, as RAM is at a reboot): it rejoins with its own key,
  no token. Refused while its init runs.`,
  console: `fortros-lab console NODE [--port P] [--name LAB]
  Start NODE's console service (\`fortctl start console\` inside it), then serve it on this host at 127.0.0.1:P
  (default the first free port from ${HOST_CONSOLE_PORT} on) and print the URL: each connection is relayed into the node's
  namespace to its 127.0.0.1:${NODE_CONSOLE_PORT} by a relay process started there, listening on a unix socket in the
  lab's state directory. Runs until Ctrl-C (exit 130), which ends the relay (by pid); the console service keeps
  running. Refused if NODE's init does not run or P is in use.`,
  down: `fortros-lab down [--name LAB]
  Remove everything the lab made: SIGTERM to each init (workloads drained), then SIGKILL by pid of whatever still
  runs in its namespaces, the namespaces (links, bridge, nft tables with them), the wireguard-go sockets in
  /var/run/wireguard, and the state directory. Works on a half-made lab too.`,
};

export function helpText(topic: CommandName | undefined): string {
  if (topic !== undefined) return `${COMMAND_HELP[topic]}\n\n${GLOBAL}`;
  return `fortros-lab: a lab cluster of full FortrOS nodes in network namespaces on this machine (root needed)

Commands:
${Object.values(COMMAND_HELP)
  .map((h) => `  ${h.split('\n')[0]}`)
  .join('\n')}

${GLOBAL}`;
}
