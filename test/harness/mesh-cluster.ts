// Multi-node mesh clusters for tests: apps/lab's LabCluster (each node a full fortros-init tree in its own namespace
// of a libs/netlab lab, on real wireguard-go, joined by tokens from `fortctl org token create`) with each init run by
// the harness's InitProcess, so tests read its records; the lab and every init are removed after each test.
import { Lab } from '@fortros/netlab';
import { LabCluster, type LabClusterNode, type LabClusterOptions } from '@fortros/lab';
import { InitProcess } from './init.js';
import { workload } from './maintainer.js';
import { skipUnlessMesh } from './mesh.js';
import type { TreeSpec } from './tree.js';

export { OVERLAY_PORT, UNDERLAY_PORT, WIREGUARD_MAIN, type NodeJson } from '@fortros/lab';

export type MeshClusterNode = LabClusterNode<InitProcess>;

export class MeshCluster extends LabCluster<InitProcess> {
  /** `extraServices` are added to every node's tree and default bundle (a bench's own longrun, say); `options.services` keeps only those. */
  constructor(lab: Lab, extraServices: TreeSpec = {}, options: LabClusterOptions = {}) {
    super(lab, (tree, place) => InitProcess.start(tree, { wrap: ['ip', 'netns', 'exec', place.netns], prepare: place.prepare }), extraServices, options);
  }

  /** Every line of every log under the node's var/log/fortros, plus init's own output. */
  async logs(node: MeshClusterNode): Promise<string> {
    return node.init.output.join('\n') + node.init.records.map((r) => JSON.stringify(r)).join('\n') + (await this.serviceLogs(node));
  }

  /** PutWorkload of `spec` (default: a /bin/true process workload on `node`) on `node`'s local API; acknowledged once durable. */
  async putWorkload(node: MeshClusterNode, id: string, spec: Record<string, unknown> = workload(id, node.name)): Promise<void> {
    await this.putSpec(node, spec);
  }
}

/** A lab prefix for this process: `ms` (or `base`, two letters) + 4 hex digits of the pid + a counter. */
let prefixCounter = 0;
export function meshClusterPrefix(base = 'ms'): string {
  return `${base}${(process.pid & 0xffff).toString(16).padStart(4, '0')}${(prefixCounter++).toString(36)}`;
}

/**
 * The hooks of a mesh-cluster suite: skip (saying why) without root or /dev/net/tun; after each test every init is
 * stopped and the lab destroyed. `slot.start()` makes the test's cluster on a fresh lab.
 */
export function meshClusterSuite(prefix = 'ms'): { current: MeshCluster | undefined; start(): Promise<MeshCluster> } {
  const slot = {
    current: undefined as MeshCluster | undefined,
    async start(): Promise<MeshCluster> {
      slot.current = new MeshCluster(await Lab.create({ prefix: meshClusterPrefix(prefix) }));
      return slot.current;
    },
  };
  before(function () {
    skipUnlessMesh(this);
  });
  afterEach(async () => {
    await slot.current?.cleanup();
    await slot.current?.lab.destroy();
    slot.current = undefined;
  });
  return slot;
}
