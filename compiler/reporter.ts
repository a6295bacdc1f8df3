/**
 * Collects diagnostics for one check. Severity comes from the catalogue, so a code is always
 * reported with the same severity; a per-file cap keeps garbage input from flooding the output.
 */
import type { SourceLocation } from "../grammar/ast.js";
import type { Diagnostic } from "../core/diagnostic.js";
import { checkerSeverity, type CheckerCode } from "../core/diagnostic-codes.js";

/** A place in a source file. */
export interface Place {
  file: string;
  loc: SourceLocation;
}

export interface ReportExtras {
  hint?: string;
  related?: { file: string; loc: SourceLocation; message: string }[];
}

const MAX_PER_FILE = 100;

/** A block application in progress, for locating problems found inside the block's body. */
export interface Frame {
  block: string;
  /** Where the block was applied. */
  call: Place;
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  /** Display names of standard-library files: problems inside them are shown at the user's call. */
  readonly libraryFiles = new Set<string>();
  private readonly frames: Frame[] = [];
  private readonly perFile = new Map<string, number>();
  private readonly capped = new Set<string>();
  private readonly seen = new Set<string>();

  /** Runs `body` with a block application on the stack. */
  within<R>(frame: Frame, body: () => R): R {
    this.frames.push(frame);
    try {
      return body();
    } finally {
      this.frames.pop();
    }
  }

  get depth(): number {
    return this.frames.length;
  }

  /** The blocks being applied, outermost first. */
  get activeBlocks(): string[] {
    return this.frames.map((f) => f.block);
  }

  report(code: CheckerCode, place: Place, message: string, extras: ReportExtras = {}): void {
    ({ place, extras } = this.locate(place, extras));
    const key = `${code}|${place.file}|${place.loc.start}|${place.loc.end}|${message}`;
    if (this.seen.has(key)) return; // the same block applied twice reports its problem once
    this.seen.add(key);
    this.add({
      code,
      severity: checkerSeverity(code),
      file: place.file,
      loc: place.loc,
      message,
      ...(extras.hint !== undefined ? { hint: extras.hint } : {}),
      ...(extras.related !== undefined && extras.related.length > 0 ? { related: extras.related } : {}),
    });
  }

  /**
   * Inside block applications: a problem in a standard-library file is shown at the innermost
   * call in the user's own files (with a note pointing into the library); a problem in a user's
   * block gets notes naming the applications that led to it.
   */
  private locate(place: Place, extras: ReportExtras): { place: Place; extras: ReportExtras } {
    if (this.frames.length === 0) return { place, extras };
    const related = [...(extras.related ?? [])];
    if (this.libraryFiles.has(place.file)) {
      for (let i = this.frames.length - 1; i >= 0; i--) {
        const frame = this.frames[i];
        if (this.libraryFiles.has(frame.call.file)) continue;
        const chain = this.frames.slice(i).map((f) => f.block).join(" › ");
        related.unshift({ ...place, message: `inside ${chain} (${place.file})` });
        return { place: frame.call, extras: { ...extras, related } };
      }
      return { place, extras };
    }
    const noted = new Set<string>();
    for (let i = this.frames.length - 1; i >= 0 && noted.size < 3; i--) {
      const frame = this.frames[i];
      const key = `${frame.call.file}:${frame.call.loc.start}`;
      if (noted.has(key)) continue; // a block applying itself from the same place
      noted.add(key);
      related.push({ ...frame.call, message: `in block '${frame.block}' applied here` });
    }
    return { place, extras: { ...extras, related } };
  }

  /** Adds diagnostics made elsewhere (the parser's). */
  add(diagnostic: Diagnostic): void {
    const count = this.perFile.get(diagnostic.file) ?? 0;
    if (count >= MAX_PER_FILE) {
      if (!this.capped.has(diagnostic.file)) {
        this.capped.add(diagnostic.file);
        this.diagnostics.push({
          code: "SIM9002",
          severity: checkerSeverity("SIM9002"),
          file: diagnostic.file,
          loc: diagnostic.loc,
          message: `stopped after ${MAX_PER_FILE} problems in this file`,
        });
      }
      return;
    }
    this.perFile.set(diagnostic.file, count + 1);
    this.diagnostics.push(diagnostic);
  }

  errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === "error").length;
  }
}
