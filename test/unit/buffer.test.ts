import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SendBuffer, byteLength, utf8Length, type OverflowPolicy, type SendData, type SendBufferLimits } from '../../src/core/buffer.js';

const encoder = new TextEncoder();

/** Single code points of the whole Unicode range, plus lone surrogates of both halves. */
const unicodeUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  fc.constantFrom('a', 'é', '€', '😀'),
);

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['hello', 5],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\uD800', 3],
    ['\uDC00', 3],
    ['\uDC00\uD800', 6],
    ['a\uD83D', 4],
  ])('should count %j as %i bytes', (text, expected) => {
    expect(utf8Length(text)).toBe(expected);
  });

  it('should agree with TextEncoder for any string, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: unicodeUnit, maxLength: 64 }), (text) => {
        expect(utf8Length(text)).toBe(encoder.encode(text).length);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('byteLength', () => {
  it('should count strings as UTF-8', () => {
    expect(byteLength('héllo €')).toBe(encoder.encode('héllo €').length);
  });

  it('should count an ArrayBuffer by its byteLength', () => {
    expect(byteLength(new ArrayBuffer(10))).toBe(10);
  });

  it('should count typed arrays and DataViews by their view, not the whole buffer', () => {
    const buffer = new ArrayBuffer(16);
    expect(byteLength(new Uint16Array(4))).toBe(8);
    expect(byteLength(new Float64Array(3))).toBe(24);
    expect(byteLength(new Uint8Array(buffer, 2, 3))).toBe(3);
    expect(byteLength(new DataView(buffer, 1, 4))).toBe(4);
  });

  it('should count a Blob by its size', () => {
    expect(byteLength(new Blob(['abc', new Uint8Array(5)]))).toBe(8);
    expect(byteLength(new Blob(['€']))).toBe(3);
  });
});

const limits = (overrides: Partial<SendBufferLimits> = {}): SendBufferLimits => ({
  maxMessages: 1_000,
  maxBytes: 1_048_576,
  overflow: 'drop-oldest',
  ...overrides,
});

const drain = (buffer: SendBuffer): SendData[] => {
  const out: SendData[] = [];
  for (let i = 0; i < 10_000; i++) {
    const item = buffer.shift();
    if (item === undefined) return out;
    out.push(item);
  }
  throw new Error('buffer did not drain');
};

describe('SendBuffer', () => {
  it('should hand messages back in the order they were queued', () => {
    const buffer = new SendBuffer(limits());
    for (const data of ['a', 'b', 'c']) expect(buffer.push(data)).toEqual({ queued: true, dropped: [] });
    expect(buffer.length).toBe(3);
    expect(drain(buffer)).toEqual(['a', 'b', 'c']);
    expect(buffer.shift()).toBeUndefined();
    expect(buffer.length).toBe(0);
    expect(buffer.bytes).toBe(0);
  });

  it('should count queued bytes as UTF-8 and binary sizes', () => {
    const buffer = new SendBuffer(limits());
    buffer.push('€');
    buffer.push(new Uint8Array(5));
    expect(buffer.bytes).toBe(8);
    buffer.shift();
    expect(buffer.bytes).toBe(5);
  });

  it('should accept messages up to exactly the count and byte bounds', () => {
    const buffer = new SendBuffer(limits({ maxMessages: 2, maxBytes: 10, overflow: 'drop-newest' }));
    expect(buffer.push('aaaaa').queued).toBe(true);
    expect(buffer.push('bbbbb').queued).toBe(true);
    expect(buffer.bytes).toBe(10);
  });

  describe('drop-oldest', () => {
    it('should drop the oldest messages until the new one fits the byte bound', () => {
      const buffer = new SendBuffer(limits({ maxBytes: 10 }));
      buffer.push('aaaa');
      buffer.push('bbbb');
      expect(buffer.push('cccccc')).toEqual({ queued: true, dropped: ['aaaa'] });
      expect(buffer.push('xxxxxxxxx')).toEqual({ queued: true, dropped: ['bbbb', 'cccccc'] });
      expect(buffer.bytes).toBe(9);
      expect(drain(buffer)).toEqual(['xxxxxxxxx']);
    });

    it('should drop the oldest message when the count bound is reached', () => {
      const buffer = new SendBuffer(limits({ maxMessages: 2 }));
      buffer.push('a');
      buffer.push('b');
      expect(buffer.push('c')).toEqual({ queued: true, dropped: ['a'] });
      expect(drain(buffer)).toEqual(['b', 'c']);
    });

    it('should keep the newest messages in order across many overflows', () => {
      const buffer = new SendBuffer(limits({ maxMessages: 3 }));
      for (let i = 0; i < 10_000; i++) buffer.push(String(i));
      expect(buffer.length).toBe(3);
      expect(buffer.bytes).toBe(12);
      expect(drain(buffer)).toEqual(['9997', '9998', '9999']);
    });
  });

  describe('drop-newest', () => {
    it('should return the new message as dropped and keep the queue', () => {
      const buffer = new SendBuffer(limits({ maxMessages: 2, overflow: 'drop-newest' }));
      buffer.push('a');
      buffer.push('b');
      expect(buffer.push('c')).toEqual({ queued: false, dropped: ['c'] });
      expect(drain(buffer)).toEqual(['a', 'b']);
    });

    it('should drop the new message when it would exceed the byte bound', () => {
      const buffer = new SendBuffer(limits({ maxBytes: 10, overflow: 'drop-newest' }));
      buffer.push('aaaaa');
      buffer.push('bbbbb');
      expect(buffer.push('c')).toEqual({ queued: false, dropped: ['c'] });
      expect(buffer.bytes).toBe(10);
    });
  });

  describe('throw', () => {
    it('should refuse the new message and drop nothing', () => {
      const buffer = new SendBuffer(limits({ maxMessages: 2, overflow: 'throw' }));
      buffer.push('a');
      buffer.push('b');
      expect(buffer.push('c')).toEqual({ queued: false, dropped: [] });
      expect(buffer.length).toBe(2);
      expect(drain(buffer)).toEqual(['a', 'b']);
    });

    it('should refuse a message bigger than maxBytes without dropping it', () => {
      const buffer = new SendBuffer(limits({ maxBytes: 4, overflow: 'throw' }));
      expect(buffer.push('hello')).toEqual({ queued: false, dropped: [] });
      expect(buffer.length).toBe(0);
    });
  });

  it.each(['drop-oldest', 'drop-newest'] as const)('should drop a single message bigger than maxBytes and keep the queue (%s)', (overflow) => {
    const buffer = new SendBuffer(limits({ maxBytes: 4, overflow }));
    buffer.push('ab');
    expect(buffer.push('hello')).toEqual({ queued: false, dropped: ['hello'] });
    expect(buffer.bytes).toBe(2);
    expect(drain(buffer)).toEqual(['ab']);
  });

  it('should drop every message when maxMessages is 0', () => {
    const buffer = new SendBuffer(limits({ maxMessages: 0 }));
    expect(buffer.push('a')).toEqual({ queued: false, dropped: ['a'] });
    expect(buffer.length).toBe(0);
  });

  it('should put a message back at the front with unshift', () => {
    const buffer = new SendBuffer(limits());
    buffer.push('a');
    buffer.push('bb');
    const first = buffer.shift();
    expect(first).toBe('a');
    buffer.unshift('a');
    expect(buffer.length).toBe(2);
    expect(buffer.bytes).toBe(3);
    buffer.unshift('zzz');
    expect(buffer.bytes).toBe(6);
    expect(drain(buffer)).toEqual(['zzz', 'a', 'bb']);
  });

  it('should unshift into an empty buffer', () => {
    const buffer = new SendBuffer(limits());
    buffer.unshift('x');
    expect(buffer.length).toBe(1);
    expect(buffer.bytes).toBe(1);
    expect(buffer.shift()).toBe('x');
  });

  it('should empty the queue with clear and return what it held, oldest first', () => {
    const buffer = new SendBuffer(limits());
    buffer.push('a');
    buffer.push('b');
    buffer.push('c');
    buffer.shift();
    expect(buffer.clear()).toEqual(['b', 'c']);
    expect(buffer.length).toBe(0);
    expect(buffer.bytes).toBe(0);
    expect(buffer.clear()).toEqual([]);
    buffer.push('d');
    expect(drain(buffer)).toEqual(['d']);
  });

  it('should keep bytes equal to the sum of the queued messages and length within maxMessages under any operations', () => {
    const data = fc.oneof(
      fc.string({ unit: unicodeUnit, maxLength: 8 }),
      fc.integer({ min: 0, max: 12 }).map((n) => new Uint8Array(n)),
      fc.integer({ min: 0, max: 12 }).map((n) => new ArrayBuffer(n)),
    );
    const operation = fc.oneof(
      { weight: 5, arbitrary: data.map((value) => ({ kind: 'push' as const, value })) },
      { weight: 2, arbitrary: fc.constant({ kind: 'shift' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'failed-send' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
    );
    const overflow = fc.constantFrom<OverflowPolicy>('drop-oldest', 'drop-newest', 'throw');

    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 40 }),
        overflow,
        fc.array(operation, { maxLength: 200 }),
        (maxMessages, maxBytes, policy, operations) => {
          const buffer = new SendBuffer({ maxMessages, maxBytes, overflow: policy });
          const model: SendData[] = [];
          for (const op of operations) {
            if (op.kind === 'push') {
              const result = buffer.push(op.value);
              if (result.queued) {
                // Anything dropped to make room is the oldest, in order.
                expect(result.dropped).toEqual(model.splice(0, result.dropped.length));
                model.push(op.value);
              } else {
                expect(result.dropped).toEqual(policy === 'throw' ? [] : [op.value]);
              }
            } else if (op.kind === 'shift') {
              expect(buffer.shift()).toBe(model.shift());
            } else if (op.kind === 'failed-send') {
              // A flush whose send threw: the message goes straight back to the front.
              const head = buffer.shift();
              expect(head).toBe(model[0]);
              if (head !== undefined) buffer.unshift(head);
            } else {
              expect(buffer.clear()).toEqual(model.splice(0));
            }
            expect(buffer.length).toBe(model.length);
            expect(buffer.length).toBeLessThanOrEqual(maxMessages);
            expect(buffer.bytes).toBe(model.reduce((sum, item) => sum + byteLength(item), 0));
            expect(buffer.bytes).toBeLessThanOrEqual(maxBytes);
          }
          expect(buffer.clear()).toEqual(model);
        },
      ),
      { numRuns: 300 },
    );
  });
});
