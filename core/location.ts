/**
 * Offsets → line/column. Lines end at `\n`, `\r\n` or a lone `\r` (as Chevrotain counts them);
 * columns are 1-based UTF-16 code units, so they agree with the lexer's token positions.
 */
/** A span of source text. */
export interface SourceLocation {
  /** 0-based offset of the first character. */
  start: number;
  /** 0-based offset one past the last character. */
  end: number;
  /** 1-based line of `start`. */
  line: number;
  /** 1-based column of `start`. */
  column: number;
  /** 1-based line of the last character. */
  endLine: number;
  /** 1-based column one past the last character. */
  endColumn: number;
}

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[] = [0];
  /**
   * The 0-based line of the last lookup. Callers such as the AST builder ask in roughly source
   * order, so the answer is usually that line or the next one and no search is needed.
   */
  private recentLine = 0;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) this.lineStarts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** 1-based line and column of an offset (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(at);
    return { line: line + 1, column: at - this.lineStarts[line] + 1 };
  }

  /** The location of `[start, end)`; `end` is clamped to `[start, text.length]`. */
  location(start: number, end: number): SourceLocation {
    const from = Math.max(0, Math.min(start, this.text.length));
    const to = Math.max(from, Math.min(end, this.text.length));
    const line = this.lineOf(from);
    const column = from - this.lineStarts[line] + 1;
    if (to === from) {
      return { start: from, end: to, line: line + 1, column, endLine: line + 1, endColumn: column };
    }
    const last = this.lineOf(to - 1);
    return { start: from, end: to, line: line + 1, column, endLine: last + 1, endColumn: to - 1 - this.lineStarts[last] + 2 };
  }

  /** Offset of the start of a 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))];
  }

  /** The 0-based line holding offset `at` (already clamped to the text). */
  private lineOf(at: number): number {
    const starts = this.lineStarts;
    const recent = this.recentLine;
    if (starts[recent] <= at) {
      if (recent + 1 === starts.length || at < starts[recent + 1]) return recent;
      if (recent + 2 === starts.length || at < starts[recent + 2]) return (this.recentLine = recent + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return (this.recentLine = lo);
  }
}
