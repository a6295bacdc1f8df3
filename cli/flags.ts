/**
 * One rule for command-line values. Negative numbers reach the validators (the argument vector
 * is rewritten so `--limit -1` is not mistaken for an option `-1`), a repeated option is an
 * error rather than a list, 0 is refused where it means nothing, and seeds stay within the
 * 32-bit range of simc's generator. Every failure is a coded error (exit 1).
 */
import { CodedError, clip } from "../core/coded-error.js";
import type { GuardCode } from "../core/codes/guard.js";
import { SEED_MAX } from "../vocabulary/training.js";
import type { CliOptions } from "./command-kit.js";

/** A mistake on the command line: a coded error, exit 1. */
export class CommandUsageError extends CodedError {
  constructor(message: string, code: GuardCode = "SIM7201", hint?: string) {
    super(code, message, hint);
  }
}

const NUMBER_LIKE = /^-(\d|\.\d|inf|nan)/i;

/** `--flag -1` → `--flag=-1` for options that take a value, so the value is not read as an option. */
export function joinNegativeValues(argv: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (valueFlags.has(token) && next !== undefined && NUMBER_LIKE.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/** Options that may be given several times (each `--set` changes one setting). */
const REPEATABLE = new Set(["set"]);

/** Throws for the first option given more than once (cac collects repeats into a list). */
export function refuseRepeats(options: CliOptions): void {
  for (const [key, value] of Object.entries(options)) {
    if (key === "--" || REPEATABLE.has(key) || !Array.isArray(value)) continue;
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new CommandUsageError(`${flag} is given ${value.length} times (${value.map((v) => `'${clip(String(v), 40)}'`).join(", ")}); give it once`, "SIM7202");
  }
}

const shown = (raw: unknown) => clip(String(raw), 60);

export function stringFlag(options: CliOptions, key: string, flag: string): string | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  if (typeof raw === "boolean" || raw === "") throw new CommandUsageError(`--${flag} expects a value`, "SIM7204");
  return String(raw);
}

export interface IntegerRule {
  min: number;
  max?: number;
  /** Why the range is what it is, for the message (e.g. "0 means the whole batch"). */
  note?: string;
}

export function integerFlag(options: CliOptions, key: string, flag: string, rule: IntegerRule): number | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  const text = typeof raw === "boolean" ? "" : String(raw).trim();
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  const max = rule.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < rule.min || value > max) {
    const range = rule.max === undefined ? `an integer ≥ ${rule.min}` : `an integer from ${rule.min} to ${rule.max}`;
    throw new CommandUsageError(`--${flag} expects ${range}, got '${shown(raw)}'`, "SIM7201", rule.note);
  }
  return value;
}

/** Seeds feed a 32-bit generator: larger values would wrap onto other seeds. */
export const SEED_RULE: IntegerRule = { min: 0, max: SEED_MAX, note: "simc's generator takes 32-bit seeds" };

export function positiveNumberFlag(options: CliOptions, key: string, flag: string): number | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value <= 0) throw new CommandUsageError(`--${flag} expects a positive number, got '${shown(raw)}'`);
  return value;
}

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** A size in bytes: `2GB`, `512MiB`, `1e9`. */
export function byteSizeFlag(options: CliOptions, key: string, flag: string): number | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(typeof raw === "boolean" ? "" : String(raw));
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  const value = match && unit !== undefined ? Number(match[1]) * unit : NaN;
  if (!Number.isFinite(value) || value <= 0) {
    throw new CommandUsageError(`--${flag} expects a positive size such as 2GB or 512MiB, got '${shown(raw)}'`);
  }
  return value;
}

export function booleanFlag(options: CliOptions, key: string, flag: string): boolean {
  const raw = options[key];
  if (raw === undefined || raw === false) return false;
  if (raw === true) return true;
  throw new CommandUsageError(`--${flag} takes no value, got '${shown(raw)}'`, "SIM7201");
}
