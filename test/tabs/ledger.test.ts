/**
 * The pure bookkeeping of the tabs: sequence, dedupe, gaps, acknowledgements
 * seen by every tab, and the bounded outbox.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accept, emptyLedger, maxRememberedTabs, Outbox, recordAck, startLeading, stopLeading, type Ledger } from '../../src/tabs/ledger.js';
import { groupName, isTabMessage } from '../../src/tabs/protocol.js';

const take = (ledger: Ledger, tab: string, seq: number, base = 1) => accept(ledger, tab, seq, base, `${tab}:${seq}`);

describe('accept', () => {
  it('should pass messages in sequence and drop a number it has accepted', () => {
    let ledger = startLeading(emptyLedger);
    const first = take(ledger, 'a', 1);
    expect(first.ready.map((item) => item.seq)).toEqual([1]);
    ledger = first.ledger;
    expect(take(ledger, 'a', 1).ready).toEqual([]);
    expect(take(ledger, 'a', 2).ready.map((item) => item.data)).toEqual(['a:2']);
  });

  it('should hold a message past a gap until the gap fills, then pass them in order', () => {
    let ledger = startLeading(emptyLedger);
    const late = take(ledger, 'a', 3);
    expect(late.ready).toEqual([]);
    ledger = take(late.ledger, 'a', 2).ledger;
    const filled = take(ledger, 'a', 1);
    expect(filled.ready.map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(filled.ledger.early.size).toBe(0);
  });

  it("should start from the tab's base: a leader that joined late does not wait for numbers acknowledged before it", () => {
    const { ready } = take(startLeading(emptyLedger), 'a', 51, 51);
    expect(ready.map((item) => item.seq)).toEqual([51]);
  });

  it('should treat numbers acknowledged under an earlier leader as duplicates, and unacknowledged ones as new', () => {
    let ledger = recordAck(emptyLedger, 'a', 2); // seen on the channel while following
    ledger = startLeading(ledger);
    expect(take(ledger, 'a', 2).ready).toEqual([]);
    expect(take(ledger, 'a', 3).ready.map((item) => item.seq)).toEqual([3]);
  });

  it('should forget on stopLeading what it accepted without an acknowledgement', () => {
    let ledger = take(startLeading(emptyLedger), 'a', 1).ledger;
    ledger = startLeading(stopLeading(ledger));
    expect(take(ledger, 'a', 1).ready.map((item) => item.seq)).toEqual([1]);
  });

  it('should pass every number exactly once and in order, whatever the order and repetition of arrivals', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 60 }), (arrivals) => {
        let ledger = startLeading(emptyLedger);
        const passed: number[] = [];
        // Every number up to the highest arrives at least once in the end (a resend to the leader).
        const all = [...arrivals, ...Array.from({ length: Math.max(...arrivals) }, (_, index) => index + 1)];
        for (const seq of all) {
          const result = take(ledger, 'a', seq);
          ledger = result.ledger;
          passed.push(...result.ready.map((item) => item.seq));
        }
        expect(passed).toEqual(Array.from({ length: Math.max(...arrivals) }, (_, index) => index + 1));
      }),
    );
  });

  it(`should remember at most ${maxRememberedTabs} tabs`, () => {
    let ledger = emptyLedger;
    for (let index = 0; index < maxRememberedTabs + 10; index++) ledger = recordAck(ledger, `tab${index}`, 1);
    expect(ledger.acked.size).toBe(maxRememberedTabs);
    expect(ledger.acked.has('tab0')).toBe(false);
  });
});

describe('Outbox', () => {
  it('should number from 1, keep until acknowledged and move its base', () => {
    const outbox = new Outbox('a', { maxMessages: 10, maxBytes: 100, overflow: 'drop-oldest' });
    expect(outbox.push('x').seq).toBe(1);
    expect(outbox.push('yy').seq).toBe(2);
    expect(outbox.bytes).toBe(3);
    outbox.ack(1);
    expect(outbox.base).toBe(2);
    expect(outbox.pending().map((item) => item.data)).toEqual(['yy']);
    outbox.ack(5);
    expect(outbox.base).toBe(3);
    expect(outbox.bytes).toBe(0);
  });

  it('should apply the overflow policy', () => {
    const oldest = new Outbox('a', { maxMessages: 2, maxBytes: 100, overflow: 'drop-oldest' });
    oldest.push('1');
    oldest.push('2');
    expect(oldest.push('3')).toEqual({ seq: 3, dropped: ['1'] });
    const newest = new Outbox('a', { maxMessages: 1, maxBytes: 100, overflow: 'drop-newest' });
    newest.push('1');
    expect(newest.push('2')).toEqual({ seq: null, dropped: ['2'] });
    const strict = new Outbox('a', { maxMessages: 1, maxBytes: 100, overflow: 'throw' });
    strict.push('1');
    expect(strict.push('2')).toEqual({ seq: null, dropped: [] });
  });
});

describe('protocol', () => {
  it('should name a group by URL, protocols and key, without the URL in the name', () => {
    const name = groupName('wss://example.com/feed?token=secret', [], '');
    expect(name).not.toContain('secret');
    expect(name).not.toContain('example.com');
    expect(groupName('wss://example.com/feed?token=secret', [], '')).toBe(name);
    expect(groupName('wss://example.com/feed?token=secret', [], 'other')).not.toBe(name);
    expect(groupName('wss://example.com/feed?token=secret', ['v2'], '')).not.toBe(name);
  });

  it('should tell its messages from other traffic', () => {
    expect(isTabMessage({ type: 'ack', leader: 'a', tab: 'b', seq: 1 })).toBe(true);
    expect(isTabMessage({ type: 'hello' })).toBe(false);
    expect(isTabMessage('ack')).toBe(false);
    expect(isTabMessage(null)).toBe(false);
  });
});
