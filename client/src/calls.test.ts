import { afterEach, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import type { AgentToServerEvents, CustomerToServerEvents } from '@callcenter/shared';
import { connectSocket, useTestStack } from '@callcenter/devstack/testing';
import { callMachineOver } from './calls';
import { request, type ClientSocket } from './request';

const suite = useTestStack();
const closers: (() => void)[] = [];

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A signed-in user's call machine over a real socket, fed the server's `call.state` pushes. */
function callActor<Events extends AgentToServerEvents | CustomerToServerEvents>(
  socket: ClientSocket<Events>,
  input: { role: 'agent' | 'customer'; userId: string },
) {
  const actor = createActor(
    callMachineOver((event, payload) =>
      request<AgentToServerEvents, typeof event>(
        socket as ClientSocket<AgentToServerEvents>,
        event,
        payload,
      ),
    ),
    { input },
  ).start();
  socket.on('call.state', (call) => {
    actor.send({ type: 'server.callState', call });
  });
  closers.push(() => {
    actor.stop();
  });
  return actor;
}

const status = (actor: ReturnType<typeof callActor>) =>
  (actor.getSnapshot().value as { status: string }).status;

describe('the call machine over the real server', () => {
  it('places, rings, connects and hangs up a call between a customer and an agent', async () => {
    const { stack } = suite;
    const agentLogin = await stack.login(await stack.createAgent());
    const customerLogin = await stack.login(await stack.createCustomer());
    const agentSocket = await connectSocket<AgentToServerEvents>(stack.url, agentLogin.token);
    const customerSocket = await connectSocket<CustomerToServerEvents>(
      stack.url,
      customerLogin.token,
    );
    closers.push(
      () => agentSocket.close(),
      () => customerSocket.close(),
    );
    await request(customerSocket, 'chat.request', {});
    const { conversation } = await request(agentSocket, 'chat.start', {});

    const agent = callActor(agentSocket, { role: 'agent', userId: agentLogin.user.id });
    const customer = callActor(customerSocket, {
      role: 'customer',
      userId: customerLogin.user.id,
    });

    customer.send({ type: 'call.start', conversationId: conversation.id });
    await waitFor(customer, (s) => s.matches({ status: 'outgoingRinging' }));
    await waitFor(agent, (s) => s.matches({ status: 'incomingRinging' }));
    expect(agent.getSnapshot().context.call?.from.displayName).toBe(customerLogin.user.displayName);

    agent.send({ type: 'call.accept' });
    await waitFor(agent, (s) => s.matches({ status: 'established' }));
    await waitFor(customer, (s) => s.matches({ status: 'established' }));

    customer.send({ type: 'call.end' });
    await waitFor(agent, (s) => s.matches({ status: 'ended' }));
    expect(agent.getSnapshot().context.call?.reason).toBe('hangup');
    await waitFor(customer, (s) => s.matches({ status: 'ended' }));
    expect(status(customer)).toBe('ended');
  });
});
