import { describe, expect, it } from 'vitest';
import { isUnencryptedRemote } from './serverAddress';

describe('which server addresses need the unencrypted-connection warning', () => {
  it.each([
    ['http://chat.example.com'],
    ['http://chat.example.com:3000'],
    ['HTTP://Chat.Example.COM/'],
    ['http://192.168.1.20:3000'],
    ['http://10.0.0.5'],
    ['http://[2001:db8::1]:3000'],
    ['http://128.0.0.1'],
    ['http://localhost.example.com'],
    ['http://[::2]'],
    [' http://chat.example.com '],
  ])('warns for %s', (address) => {
    expect(isUnencryptedRemote(address)).toBe(true);
  });

  it.each([
    ['https://chat.example.com'],
    ['https://192.168.1.20:3000'],
    ['http://127.0.0.1:3000'],
    ['http://127.255.0.9'],
    ['http://127.1'],
    ['http://localhost:3000'],
    ['http://LOCALHOST'],
    ['http://agent.localhost'],
    ['http://[::1]:3000'],
    ['http://[::ffff:127.0.0.1]'],
    ['not an address'],
  ])('does not warn for %s', (address) => {
    expect(isUnencryptedRemote(address)).toBe(false);
  });
});
