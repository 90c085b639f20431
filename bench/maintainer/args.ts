// The maintainer bench's command line: --quick, --mesh-nodes N, --help; anything else is a usage error.
import { MESH_NODES, MESH_NODES_MAX, MESH_NODES_QUICK } from './constants.js';

export const USAGE = `usage: npx tsx bench/maintainer/index.ts [--quick] [--mesh-nodes N] [--mesh-only]
  --quick          loopback N=8, simulator N=128, mesh N=${MESH_NODES_QUICK} (default mesh N=${MESH_NODES})
  --mesh-nodes N   nodes of the mesh rows (2..${MESH_NODES_MAX}; 0 leaves the mesh rows out); the mesh rows need root
  --mesh-only      the mesh rows alone (no loopback or simulator rows)`;

export type MaintainerBenchArgs = { quick: boolean; meshNodes: number; meshOnly: boolean; exit?: undefined } | { exit: number };

export function parseArgs(argv: readonly string[]): MaintainerBenchArgs {
  let quick = false;
  let meshOnly = false;
  let meshNodes: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return { exit: 0 };
    } else if (a === '--quick') quick = true;
    else if (a === '--mesh-only') meshOnly = true;
    else if (a === '--mesh-nodes') {
      const v = argv[++i];
      meshNodes = Number(v);
      if (v === undefined || !Number.isInteger(meshNodes) || (meshNodes !== 0 && (meshNodes < 2 || meshNodes > MESH_NODES_MAX))) {
        console.error(`--mesh-nodes: expected 0 or an integer 2..${MESH_NODES_MAX}, got ${JSON.stringify(v)}\n${USAGE}`);
        return { exit: 2 };
      }
    } else {
      console.error(`unknown argument ${JSON.stringify(a)}\n${USAGE}`);
      return { exit: 2 };
    }
  }
  const nodes = meshNodes ?? (quick ? MESH_NODES_QUICK : MESH_NODES);
  if (meshOnly && nodes === 0) {
    console.error(`--mesh-only with --mesh-nodes 0 leaves nothing to run\n${USAGE}`);
    return { exit: 2 };
  }
  return { quick, meshNodes: nodes, meshOnly };
}
