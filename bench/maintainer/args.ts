// The maintainer bench's command line: --quick, --mesh-nodes N, --help; anything else is a usage error.
import { parseBenchArgs } from '../args.js';
import { MESH_NODES, MESH_NODES_MAX, MESH_NODES_QUICK } from './constants.js';

export const USAGE = `usage: npx tsx bench/maintainer/index.ts [--quick] [--mesh-nodes N] [--mesh-only]
  --quick          loopback N=8, simulator N=128, mesh N=${MESH_NODES_QUICK} (default mesh N=${MESH_NODES})
  --mesh-nodes N   nodes of the mesh rows (2..${MESH_NODES_MAX}; 0 leaves the mesh rows out); the mesh rows need root
  --mesh-only      the mesh rows alone (no loopback or simulator rows)`;

export type MaintainerBenchArgs = { quick: boolean; meshNodes: number; meshOnly: boolean; exit?: undefined } | { exit: number };

export function parseArgs(argv: readonly string[]): MaintainerBenchArgs {
  const args = parseBenchArgs(argv, USAGE, { flags: ['mesh-only'], counts: { 'mesh-nodes': { min: 2, max: MESH_NODES_MAX, zero: true } } });
  if (args.exit !== undefined) return args;
  const meshOnly = args.flags.has('mesh-only');
  const nodes = args.counts.get('mesh-nodes') ?? (args.quick ? MESH_NODES_QUICK : MESH_NODES);
  if (meshOnly && nodes === 0) {
    console.error(`--mesh-only with --mesh-nodes 0 leaves nothing to run\n${USAGE}`);
    return { exit: 2 };
  }
  return { quick: args.quick, meshNodes: nodes, meshOnly };
}
