// The node's drivers, one per kind, over the node root: anchors in run/fortros/reconciler/<kind>/ (RAM), logs in
// var/log/fortros/workloads/<id>/. Used by the daemon and by fortros-workloads-drain, so both see the same runs.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ANCHOR_STATE_PATH, WORKLOAD_LOG_PATH } from '../constants.js';
import { AnchoredDriver } from '../driver/anchored-driver.js';
import type { DriverBackend, WorkloadDriver } from '../driver/driver.js';
import { OciBackend } from '../driver/oci-backend.js';
import { ProcessBackend } from '../driver/process-backend.js';
import { VmBackend } from '../driver/vm-backend.js';
import type { WorkloadDriverKind } from '../spec.js';

/** Length of the root's hash in container names: nodes sharing a host (tests) never share a container name. */
const NODE_PREFIX_HEX = 8;

export function nodeDrivers(root: string): Map<WorkloadDriverKind, WorkloadDriver> {
  const stateRoot = join(root, ANCHOR_STATE_PATH);
  const logRoot = join(root, WORKLOAD_LOG_PATH);
  const prefix = `fortros-${createHash('sha256').update(root).digest('hex').slice(0, NODE_PREFIX_HEX)}`;
  const backends: DriverBackend[] = [
    new ProcessBackend(),
    new OciBackend({ runtimeRoot: join(stateRoot, 'runc'), namePrefix: prefix }),
    new VmBackend(),
  ];
  return new Map(backends.map((backend) => [backend.kind, new AnchoredDriver({ backend, stateDir: join(stateRoot, backend.kind), logRoot })]));
}
