// The workload spec (DESIGN §9): its types and validator live in @fortros/workload-spec, shared with the maintainer,
// which validates and normalises every spec it stores; the reconciler checks each again where it uses it.
export type {
  OciWorkloadSpec,
  Placement,
  ProcessWorkloadSpec,
  RestartPolicy,
  VmWorkloadSpec,
  WorkloadNamespace,
  WorkloadSpec,
} from '@fortros/workload-spec';
import type { WorkloadSpec } from '@fortros/workload-spec';

export type WorkloadDriverKind = WorkloadSpec['driver'];
