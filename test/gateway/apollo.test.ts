import { describe, expect, it, vi } from 'vitest';

describe("the gateway's Apollo", () => {
  it("turns @apollo/gateway's telemetry off as soon as it is loaded, before any gateway is made", async () => {
    vi.resetModules();
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    await import('../../gateway/apollo.js');
    // @apollo/gateway reports to Apollo and probes cloud metadata addresses unless this is 'true' or '1'.
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });
});
