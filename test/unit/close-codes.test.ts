import { describe, expect, it } from 'vitest';
import { CloseClass, classifyClose, classifyCode, closeClasses, type CloseFacts } from '../../src/core/close-codes.js';

describe('classifyCode', () => {
  it.each([
    [1000, 'normal'],
    [1001, 'going-away'],
    [1002, 'protocol-error'],
    [1003, 'unsupported-data'],
    [1004, 'reserved'],
    [1005, 'no-status'],
    [1006, 'abnormal'],
    [1007, 'invalid-payload'],
    [1008, 'policy-violation'],
    [1009, 'message-too-big'],
    [1010, 'mandatory-extension'],
    [1011, 'server-error'],
    [1012, 'service-restart'],
    [1013, 'try-again-later'],
    [1014, 'bad-gateway'],
    [1015, 'tls-handshake'],
    [1016, 'reserved'],
    [2999, 'reserved'],
    [3000, 'registered'],
    [3999, 'registered'],
    [4000, 'application'],
    [4999, 'application'],
  ] as const)('should classify %i as %s', (code, expected) => {
    expect(classifyCode(code)).toBe(expected);
  });

  it.each([999, 5000, 1000.5, Number.NaN, -1, 0, Infinity])('should classify %f as invalid', (code) => {
    expect(classifyCode(code)).toBe(CloseClass.Invalid);
  });

  it('should give every code in 1000-4999 a class other than invalid', () => {
    for (let code = 1000; code <= 4999; code++) expect(classifyCode(code)).not.toBe(CloseClass.Invalid);
  });
});

describe('closeClasses', () => {
  it('should list every CloseClass value, in the object\'s order', () => {
    expect(closeClasses).toEqual(Object.values(CloseClass));
  });
});

describe('classifyClose', () => {
  const facts = (overrides: Partial<CloseFacts>): CloseFacts => ({ code: 1006, reason: '', wasClean: false, opened: true, ...overrides });

  it.each([1000, 1006, 1008, 4001])('should attribute a close the application asked for to the client, whatever the code (%i)', (code) => {
    expect(classifyClose(facts({ code, requestedBy: 'client' })).initiator).toBe('client');
  });

  it.each([1000, 1006, 4000])('should attribute a close the library asked for to the library, whatever the code (%i)', (code) => {
    expect(classifyClose(facts({ code, requestedBy: 'library' })).initiator).toBe('library');
  });

  it('should attribute a 1006 nobody asked for to the network', () => {
    expect(classifyClose(facts({ code: 1006 })).initiator).toBe('network');
    expect(classifyClose(facts({ code: 1006, requestedBy: undefined })).initiator).toBe('network');
  });

  it.each([1000, 1001, 1005, 1008, 1011, 3000, 4999])('should attribute any other code (%i) to the server', (code) => {
    expect(classifyClose(facts({ code, wasClean: true })).initiator).toBe('server');
  });

  it('should put a close after open in the open phase and one before it in the handshake phase', () => {
    expect(classifyClose(facts({ opened: true })).phase).toBe('open');
    expect(classifyClose(facts({ opened: false })).phase).toBe('handshake');
  });

  it('should carry the class of the code', () => {
    expect(classifyClose(facts({ code: 1013, requestedBy: 'client' }))).toEqual({ class: 'try-again-later', initiator: 'client', phase: 'open' });
    expect(classifyClose(facts({ code: 1006, opened: false }))).toEqual({ class: 'abnormal', initiator: 'network', phase: 'handshake' });
  });
});
