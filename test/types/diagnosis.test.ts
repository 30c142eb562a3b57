/**
 * The types of the diagnosis and of close logging: `diagnose`, the
 * `diagnose`, `logger` and `debug` options, `ws.diagnosis` and the
 * `diagnosis` event. Mistakes that must not compile are also rejected at
 * run time.
 */

import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  diagnose,
  DiagnosisEvent,
  type Cause,
  type CloseLogEntry,
  type CloseReport,
  type Confidence,
  type DiagnoseFunction,
  type Diagnosis,
  type DiagnosisContext,
  type Finding,
  type LogFunction,
  type Logger,
  type ResilientWebSocketOptions,
} from '../../src/index.js';
import { idleSocket } from './support.js';

describe('the diagnosis types', () => {
  it('should type diagnose as a pure function of the history and an optional context', () => {
    expectTypeOf(diagnose).parameters.toEqualTypeOf<[readonly CloseReport[], DiagnosisContext?]>();
    expectTypeOf(diagnose).returns.toEqualTypeOf<Diagnosis>();
    expectTypeOf(diagnose).toExtend<DiagnoseFunction>();
    expectTypeOf<Diagnosis['findings']>().toEqualTypeOf<readonly Finding[]>();
    expectTypeOf<Diagnosis['cause']>().toEqualTypeOf<Cause | null>();
    expectTypeOf<Finding['confidence']>().toEqualTypeOf<Confidence>();
    expectTypeOf<Confidence>().toEqualTypeOf<'low' | 'medium' | 'high'>();
    expect(diagnose([]).findings).toEqual([]);
  });

  it('should give the socket a diagnosis property and a typed diagnosis event', () => {
    const ws = idleSocket({ diagnose });
    expectTypeOf(ws.diagnosis).toEqualTypeOf<Diagnosis | null>();
    ws.addEventListener('diagnosis', (event) => {
      expectTypeOf(event).toEqualTypeOf<DiagnosisEvent>();
      expectTypeOf(event.diagnosis).toEqualTypeOf<Diagnosis>();
    });
    expect(ws.diagnosis).toBeNull();
  });

  it('should take a logger object, a log function, or debug', () => {
    const logger: Logger = console;
    const log: LogFunction = (line, entry) => {
      expectTypeOf(line).toEqualTypeOf<string>();
      expectTypeOf(entry).toEqualTypeOf<CloseLogEntry>();
    };
    const options = [{ logger }, { logger: log }, { debug: true }, { diagnose, logger: log }] satisfies ResilientWebSocketOptions[];
    for (const each of options) expect(idleSocket(each).readyState).toBe(0);
  });

  it('should reject diagnose: true and a logger without its methods', () => {
    // @ts-expect-error diagnose takes the function, so that the diagnosis is only bundled when asked for
    expect(() => idleSocket({ diagnose: true })).toThrow(TypeError);
    // @ts-expect-error a logger object needs info, warn and error
    expect(() => idleSocket({ logger: { info: () => undefined } })).toThrow(TypeError);
  });
});
