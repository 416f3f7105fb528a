import { describe, expect, it } from 'vitest';
import {
  agentContract,
  methodSpec,
  privilegedContract,
  topicSpec,
} from '../../../common/agent/agent-contract';

describe('agent contract lookups', () => {
  it('finds the contract’s own methods and topics by the name off the wire', () => {
    expect(methodSpec(agentContract, 'gpu.inventory')).toBe(agentContract.methods['gpu.inventory']);
    expect(topicSpec(agentContract, 'gpu.telemetry')).toBe(agentContract.topics['gpu.telemetry']);
  });

  it('never mistakes an inherited property or the other entry’s names for a method', () => {
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(methodSpec(agentContract, name)).toBeUndefined();
      expect(topicSpec(agentContract, name)).toBeUndefined();
    }
    expect(methodSpec(agentContract, 'gpu.telemetry')).toBeUndefined();
    expect(methodSpec(privilegedContract, 'agent.info')).toBeUndefined();
  });
});
