package io.mcpsidecar.agent.approvals;

class MemoryApprovalStoreTest extends ApprovalStoreSpecification {
  @Override
  ApprovalStore newStore() {
    return new MemoryApprovalStore();
  }
}
