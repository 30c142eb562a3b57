import { describe as group, expect, it } from 'vitest';
import { describe } from '../../src/core/errors.js';

class Example {
  greet(): string {
    return 'hello';
  }
}

group('describe', () => {
  it.each([
    ['a short string, quoted', 'ws', '"ws"'],
    ['a long string, cut at 40 characters', 'x'.repeat(50), JSON.stringify(`${'x'.repeat(40)}…`)],
    ['a number', -1, '-1'],
    ['NaN', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['a boolean', true, 'true'],
    ['a bigint', 10n, '10'],
    ['a symbol', Symbol('tag'), 'Symbol(tag)'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a function', () => 1, 'a function'],
    ['a class', Example, 'a function'],
    ['an array', [1, 2], 'an array'],
    ['an object', { secret: 'token' }, 'an object'],
    ['an object without a prototype', Object.create(null) as unknown, 'an object'],
    ['a date', new Date(0), 'an object'],
  ])('should render %s by its kind, without the contents of objects', (_name, value, expected) => {
    expect(describe(value)).toBe(expected);
  });
});
