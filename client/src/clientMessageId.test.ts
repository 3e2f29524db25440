import { describe, expect, it } from 'vitest';
import { idSchema } from '@callcenter/shared';
import { newClientMsgId } from './clientMessageId';

describe('newClientMsgId', () => {
  it('makes ids the server accepts, a new one every time', () => {
    const ids = Array.from({ length: 1000 }, () => newClientMsgId());
    for (const id of ids) expect(idSchema.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
