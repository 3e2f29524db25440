import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, ReadCursor } from '@callcenter/shared';
import { TYPING_REPEAT_MS, TYPING_SHOWN_MS } from '@callcenter/shared';
import { ConversationActivity, ReadReporter, TYPING_IDLE_MS, TypingReporter } from './activity';

// Only the clock is faked: what each class does with time is what is under test.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function cursor(role: 'agent' | 'customer', seq: number): ReadCursor {
  return { conversationId: 'c1', customerId: 'cu1', role, seq, readAt: '2030-01-01T10:00:00.000Z' };
}

describe('ConversationActivity', () => {
  it("shows the other party's typing until it stops, writes, or goes quiet", () => {
    const activity = new ConversationActivity('agent');
    const typing = () => activity.store.getState().typing.has('c1');
    const push = (typing: boolean, role: 'agent' | 'customer' = 'customer') => {
      activity.heardTyping({ conversationId: 'c1', customerId: 'cu1', role, typing });
    };
    push(true, 'agent');
    expect(typing()).toBe(false);
    push(true);
    expect(typing()).toBe(true);
    push(false);
    expect(typing()).toBe(false);
    push(true);
    activity.heardMessage({
      conversationId: 'c1',
      sender: { role: 'customer', id: 'cu1', displayName: 'Carol' },
    } as ChatMessage);
    expect(typing()).toBe(false);
    push(true);
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1);
    expect(typing()).toBe(true);
    push(true);
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1);
    expect(typing()).toBe(true);
    vi.advanceTimersByTime(1);
    expect(typing()).toBe(false);
  });

  it('keeps each side’s newest read cursor', () => {
    const activity = new ConversationActivity('customer');
    activity.heardReads([cursor('agent', 5), cursor('customer', 7)]);
    activity.heardReads([cursor('agent', 3)]);
    const reads = activity.store.getState().reads.get('c1');
    expect(reads?.agent?.seq).toBe(5);
    expect(reads?.customer?.seq).toBe(7);
  });
});

describe('TypingReporter', () => {
  it('says typing at once, repeats it at most every few seconds, and stops when idle or sent', () => {
    const sent: boolean[] = [];
    const reporter = new TypingReporter((typing) => sent.push(typing));
    reporter.changed('H');
    reporter.changed('He');
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(TYPING_REPEAT_MS);
    reporter.changed('Hel');
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(TYPING_IDLE_MS);
    expect(sent).toEqual([true, true, false]);
    reporter.changed('Hello');
    reporter.stop();
    reporter.stop();
    expect(sent).toEqual([true, true, false, true, false]);
    reporter.changed('   ');
    expect(sent).toHaveLength(5);
  });
});

describe('ReadReporter', () => {
  it('reports the newest shown once, never backwards, and again after a failed report', async () => {
    const reports: number[] = [];
    let fail = false;
    const reporter = new ReadReporter((seq) => {
      reports.push(seq);
      return fail ? Promise.reject(new Error('offline')) : Promise.resolve();
    }, 100);
    reporter.shown(3);
    reporter.shown(5);
    reporter.shown(4);
    await vi.advanceTimersByTimeAsync(100);
    expect(reports).toEqual([5]);
    reporter.shown(5);
    reporter.known(8);
    reporter.shown(7);
    await vi.advanceTimersByTimeAsync(100);
    expect(reports).toEqual([5]);
    fail = true;
    reporter.shown(9);
    await vi.advanceTimersByTimeAsync(100);
    fail = false;
    reporter.shown(9);
    await vi.advanceTimersByTimeAsync(100);
    expect(reports).toEqual([5, 9, 9]);
  });
});
