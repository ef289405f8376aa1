// The proof material, from the API: the inclusion proof (with the checkpoint it is against), the
// latest checkpoint, and a consistency proof between two sizes.
import type { Api } from './api.ts';
import type { CheckpointView, ConsistencyView, InclusionView, ProofSource } from './proof/prove.ts';

export function apiProofSource(api: Api): ProofSource {
  return {
    inclusion: (seq) => api.get<InclusionView>('/v1/audit/proofs/inclusion', { seq }),
    checkpoint: () => api.get<CheckpointView>('/v1/audit/checkpoint'),
    consistency: (from, to) => api.get<ConsistencyView>('/v1/audit/proofs/consistency', { from, to }),
  };
}
