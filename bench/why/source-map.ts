/**
 * Just enough of source maps (v3) to name the original line of a position
 * in a bundle, so profiles of the library point at src/.
 *
 * @module
 */

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes the VLQ fields of one segment (relative values, as stored). */
function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = base64.indexOf(char);
    if (digit < 0) throw new Error(`bad VLQ character ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** A source position. */
export interface Original {
  readonly source: string;
  /** 1-based. */
  readonly line: number;
}

/** Maps positions of a generated file back to its sources. */
export class SourceMap {
  /** Per generated line, its segments sorted by column: [column, source, line]. */
  readonly #lines: (readonly [number, number, number])[][] = [];
  readonly #sources: readonly string[];

  /** @param json - the source map, as esbuild writes it */
  constructor(json: string) {
    const map = JSON.parse(json) as { sources: string[]; mappings: string };
    this.#sources = map.sources.map((source) => source.replace(/^(\.\.\/)+/, ''));
    let source = 0;
    let line = 0;
    for (const text of map.mappings.split(';')) {
      const segments: (readonly [number, number, number])[] = [];
      let generated = 0;
      for (const segment of text.split(',')) {
        if (segment === '') continue;
        const fields = decodeVlq(segment);
        generated += fields[0]!;
        if (fields.length >= 4) {
          source += fields[1]!;
          line += fields[2]!;
          segments.push([generated, source, line]);
        }
      }
      this.#lines.push(segments);
    }
  }

  /** The original position of generated `line`/`column` (both 0-based), or `null`. */
  lookup(line: number, column: number): Original | null {
    const segments = this.#lines[line];
    if (!segments || segments.length === 0) return null;
    let found = segments[0]!;
    for (const segment of segments) {
      if (segment[0] > column) break;
      found = segment;
    }
    return { source: this.#sources[found[1]] ?? '?', line: found[2] + 1 };
  }
}
