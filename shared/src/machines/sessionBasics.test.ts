import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../protocol/index';
import { toErrorBody } from './sessionBasics';

describe('toErrorBody', () => {
  it('keeps a ProtocolError or a plain { code, message }', () => {
    expect(toErrorBody(new ProtocolError('already_claimed', 'taken'))).toEqual({
      code: 'already_claimed',
      message: 'taken',
    });
    expect(toErrorBody({ code: 'not_found', message: 'gone' })).toEqual({
      code: 'not_found',
      message: 'gone',
    });
  });

  it('unwraps a whole { ok: false, error } ack', () => {
    expect(toErrorBody({ ok: false, error: { code: 'agent_busy', message: 'busy' } })).toEqual({
      code: 'agent_busy',
      message: 'busy',
    });
  });

  it('turns anything else into internal, keeping the message', () => {
    expect(toErrorBody(new Error('socket timeout'))).toEqual({
      code: 'internal',
      message: 'socket timeout',
    });
    expect(toErrorBody({ code: 'made_up', message: 'x' }).code).toBe('internal');
    expect(toErrorBody('boom')).toEqual({ code: 'internal', message: 'boom' });
  });
});
