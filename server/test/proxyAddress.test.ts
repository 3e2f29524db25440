// Behind a reverse proxy (TRUST_PROXY) a client is known by the address the proxy saw: the last
// X-Forwarded-For entry. Entries the client wrote itself in front of it must not let it pass
// for many addresses, or every per-address limit would be a formality.
import { describe, expect, it } from 'vitest';
import { useTestStack } from '@callcenter/devstack/testing';

const suite = useTestStack({ config: { trustProxy: true } });

describe('behind a trusted proxy', () => {
  it("the login throttle counts the proxy's view of the address, not the client's own claims", async () => {
    let refused: Response | undefined;
    for (let i = 0; i < 40 && !refused; i += 1) {
      const response = await fetch(`${suite.stack.url}/api/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // What a proxy forwards when the client sent its own X-Forwarded-For.
          'x-forwarded-for': `198.51.100.${i}, 203.0.113.9`,
        },
        body: JSON.stringify({ role: 'customer', login: `sprayed-${i}`, password: 'x' }),
      });
      if (response.status === 429) refused = response;
      else expect(response.status).toBe(401);
    }
    expect(refused).toBeDefined();
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
