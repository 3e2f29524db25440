// The login throttle under attack: simultaneous guesses are counted before any password is
// checked, hashing work is bounded, failures slow down progressively instead of locking the
// right password out, and a busy shared address does not lock out the accounts that use it.
// Clients come from different loopback addresses (127.0.0.x), as different machines would.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useTestStack, type TestAccount } from '@callcenter/devstack/testing';

const suite = useTestStack();

interface LoginAnswer {
  status: number;
  code: string | undefined;
  retryAfter: string | undefined;
}

function postLogin(
  body: { role: string; login: string; password: string },
  fromAddress: string,
): Promise<LoginAnswer> {
  const url = new URL('/api/auth/login', suite.stack.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress: fromAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const parsed = JSON.parse(text) as { error?: { code: string } };
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            code: parsed.error?.code,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const wrong = (account: TestAccount, fromAddress: string): Promise<LoginAnswer> =>
  postLogin({ role: account.role, login: account.login, password: 'wrong' }, fromAddress);
const right = (account: TestAccount, fromAddress: string): Promise<LoginAnswer> =>
  postLogin({ role: account.role, login: account.login, password: account.password }, fromAddress);

/** Wrong passwords one after another until the throttle refuses one; returns the answers. */
async function guessUntilRefused(
  account: TestAccount,
  fromAddress: string,
  max = 20,
): Promise<LoginAnswer[]> {
  const answers: LoginAnswer[] = [];
  while (answers.length < max) {
    const answer = await wrong(account, fromAddress);
    answers.push(answer);
    if (answer.status === 429) break;
  }
  return answers;
}

describe('login throttle', () => {
  it('300 simultaneous guesses at one account are counted before checking; a real login elsewhere is not held up', async () => {
    const victim = await suite.stack.createAgent();
    const bystander = await suite.stack.createCustomer();
    const idle = await right(bystander, '127.0.0.2');
    expect(idle.status).toBe(200);

    const burst = Promise.all(Array.from({ length: 300 }, () => wrong(victim, '127.0.0.1')));
    const during = await right(bystander, '127.0.0.3');
    const answers = await burst;

    const checked = answers.filter((a) => a.status === 401).length;
    const refused = answers.filter((a) => a.status === 429 && a.code === 'rate_limited').length;
    // 5 free failures, then at most one held a second and one held two (the burst may take
    // longer than a second to arrive on a busy machine); every other guess refused unchecked.
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(7);
    expect(checked + refused).toBe(300);
    // The bystander's check waited behind at most those few hashes, not 300 (before the
    // throttle counted guesses first, it waited 10.9 s behind them); no wall-clock bound here.
    expect(during.status).toBe(200);
  });

  it('simultaneous guesses at unknown logins from one address are bounded, then the address is slowed', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        postLogin({ role: 'agent', login: `nobody-${i}`, password: 'x' }, '127.0.0.4'),
      ),
    );
    // 64 at once from one address (LOGIN_AT_ONCE_PER_ADDRESS); the rest refused unchecked.
    const checked = answers.filter((a) => a.status === 401).length;
    expect(checked).toBe(64);
    expect(answers.filter((a) => a.status === 429).length).toBe(36);
    // Those failures are far past the address's 20 free ones: the next guess waits minutes.
    const next = await postLogin(
      { role: 'agent', login: 'nobody-else', password: 'x' },
      '127.0.0.4',
    );
    expect(next).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(next.retryAfter)).toBeGreaterThan(60);
  });

  it('wrong passwords slow the next check down progressively instead of locking the right one out', async () => {
    const account = await suite.stack.createCustomer();
    const answers = await guessUntilRefused(account, '127.0.0.5');
    const refusedAt = answers.length;
    // 5 free failures, then checks held 1 s and 2 s, then a refusal that says when to retry.
    expect(refusedAt).toBeGreaterThan(5);
    expect(refusedAt).toBeLessThanOrEqual(8);
    const refusal = answers.at(-1)!;
    expect(refusal).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(refusal.retryAfter)).toBeGreaterThan(0);
    expect(Number(refusal.retryAfter)).toBeLessThanOrEqual(8);
    // The owner, from anywhere else, gets in at once.
    expect((await right(account, '127.0.0.6')).status).toBe(200);
  });

  it('guesses at an account from elsewhere do not hold up its owner at an address it has used', async () => {
    const account = await suite.stack.createAgent();
    expect((await right(account, '127.0.0.7')).status).toBe(200);
    // Enough guesses from two other places to pass the account's own free failures.
    await guessUntilRefused(account, '127.0.0.8');
    await guessUntilRefused(account, '127.0.0.9');
    expect((await right(account, '127.0.0.7')).status).toBe(200);
    // From a place it has not used, the account is slowed down like any other guess.
    expect(await right(account, '127.0.0.11')).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('failures at many accounts from one shared address do not lock out the accounts that use it', async () => {
    const regular = await suite.stack.createCustomer();
    expect((await right(regular, '127.0.0.10')).status).toBe(200);
    let refused = false;
    for (let i = 0; i < 40 && !refused; i += 1) {
      const answer = await postLogin(
        { role: 'customer', login: `sprayed-${i}`, password: 'x' },
        '127.0.0.10',
      );
      refused = answer.status === 429;
    }
    expect(refused).toBe(true);
    expect((await right(regular, '127.0.0.10')).status).toBe(200);
  });
});
