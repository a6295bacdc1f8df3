/**
 * Finds where a value sits in JSON text, by JSON path, so problems found in a parsed IR file
 * can point at a line and column. A small scanner over already-valid JSON: it never builds
 * values, it only skips them.
 */
import { LineIndex } from "../core/location.js";
import type { SourceLocation } from "../core/location.js";

export type JsonPath = (string | number)[];

/** `$.graph.nodes[3].shape` */
export function formatJsonPath(path: JsonPath): string {
  return "$" + path.map((key) => (typeof key === "number" ? `[${key}]` : /^[A-Za-z_]\w*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)).join("");
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  readString(): string {
    const start = this.pos;
    this.pos++; // opening quote
    while (this.pos < this.text.length && this.text[this.pos] !== '"') this.pos += this.text[this.pos] === "\\" ? 2 : 1;
    this.pos++; // closing quote
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  /** Skips one value starting at `pos` (after whitespace). */
  skipValue(): void {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '"') {
      this.readString();
    } else if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      this.pos++;
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return;
      }
      for (;;) {
        if (c === "{") {
          this.skipSpace();
          this.readString();
          this.skipSpace();
          this.pos++; // colon
        }
        this.skipValue();
        this.skipSpace();
        if (this.text[this.pos++] === close) return;
      }
    } else {
      while (this.pos < this.text.length && !/[\s,\]}]/.test(this.text[this.pos])) this.pos++;
    }
  }

  /** Moves to the value at `path` below the value at `pos`; false when it does not exist. */
  descend(path: JsonPath): boolean {
    for (const key of path) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (typeof key === "string" && c === "{") {
        if (!this.findMember(key)) return false;
      } else if (typeof key === "number" && c === "[") {
        if (!this.findElement(key)) return false;
      } else return false;
    }
    this.skipSpace();
    return true;
  }

  private findMember(key: string): boolean {
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') return false;
      const name = this.readString();
      this.skipSpace();
      this.pos++; // colon
      if (name === key) return true;
      this.skipValue();
      this.skipSpace();
      if (this.text[this.pos++] !== ",") return false;
    }
  }

  private findElement(index: number): boolean {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "]") return false;
    for (let i = 0; ; i++) {
      if (i === index) return true;
      this.skipValue();
      this.skipSpace();
      if (this.text[this.pos++] !== ",") return false;
    }
  }
}

export function spanLocation(text: string, start: number, end: number): SourceLocation {
  return new LineIndex(text).location(start, end);
}

/**
 * The location of the value at `path` in valid JSON `text`; when the path does not exist (a
 * missing field), the location of its deepest existing ancestor.
 */
export function locateJsonPath(text: string, path: JsonPath): SourceLocation {
  for (let depth = path.length; depth >= 0; depth--) {
    const scanner = new Scanner(text);
    if (!scanner.descend(path.slice(0, depth))) continue;
    const start = scanner.pos;
    scanner.skipValue();
    // Point at the opening of a container, at the whole of a scalar.
    const isContainer = text[start] === "{" || text[start] === "[";
    return spanLocation(text, start, isContainer ? start + 1 : scanner.pos);
  }
  return spanLocation(text, 0, 0);
}
