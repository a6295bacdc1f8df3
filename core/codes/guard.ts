/**
 * Codes for problems outside the language and the runtime: files that are not readable text,
 * output paths, command-line values and memory budgets. Range SIM7xxx; merged into the
 * diagnostic catalogue like the syntax, IR and runtime tables.
 */
import type { Severity } from "../diagnostic.js";

interface GuardCodeInfo {
  severity: Severity;
  title: string;
  explanation: string;
}

const table = {
  // ── SIM70xx: input files ────────────────────────────────────────────────────────────────
  SIM7001: { severity: "error", title: "path is a directory", explanation: "A spec, import, data file or checkpoint file names a directory where a regular file is needed." },
  SIM7002: { severity: "error", title: "path is a device", explanation: "Device files (`/dev/zero`, terminals) can be read forever; simc reads only regular files." },
  SIM7003: { severity: "error", title: "path is a pipe or socket", explanation: "FIFOs and sockets are not read as specs, imports, data or checkpoints; save the content to a regular file." },
  SIM7004: { severity: "error", title: "symbolic link loop", explanation: "Following the path's symbolic links comes back to where it started; no file is at its end." },
  SIM7005: { severity: "error", title: "not UTF-8", explanation: "Spec files are UTF-8 text; the message names the line, column and byte that is not. Convert the file (e.g. `iconv -f latin1 -t utf-8`)." },
  SIM7006: { severity: "error", title: "binary file", explanation: "The file holds NUL bytes: it is not a text spec." },
  SIM7007: { severity: "error", title: "import of a non-.sim file", explanation: "Imports name `.sim` modules; a data file or a JSON file cannot be imported." },
  SIM7008: { severity: "error", title: "file cannot be read", explanation: "The file exists but the operating system refused to read it (permissions, I/O error)." },
  SIM7009: { severity: "error", title: "no such file", explanation: "A path given on the command line does not exist." },

  // ── SIM71xx: outputs ────────────────────────────────────────────────────────────────────
  SIM7101: { severity: "error", title: "output would overwrite an input", explanation: "An output path (`-o`, `--out`) names one of the command's own inputs; it would be destroyed." },
  SIM7102: { severity: "error", title: "output is the wrong kind of path", explanation: "A file is needed where a directory exists, or a directory where a file exists." },
  SIM7103: { severity: "error", title: "output not writable", explanation: "The output (or the directory that would hold it) cannot be written: read-only, missing permission, or a file system that takes no new files." },
  SIM7104: { severity: "error", title: "run directory in use", explanation: "Another simc process holds the run directory's lock; two runs into one directory would overwrite each other's checkpoints." },
  SIM7105: { severity: "error", title: "write failed", explanation: "Writing an output failed part way (disk full, permissions changed); the previous file is left as it was." },

  // ── SIM72xx: command line ───────────────────────────────────────────────────────────────
  SIM7201: { severity: "error", title: "invalid option value", explanation: "A flag's value is not a number, out of its range, or zero where zero means nothing." },
  SIM7202: { severity: "error", title: "option given twice", explanation: "Each option may be given once; simc does not guess which of two values was meant." },
  SIM7203: { severity: "error", title: "unknown option or command", explanation: "The command line names an option or command simc does not have; `simc COMMAND --help` lists them." },
  SIM7204: { severity: "error", title: "missing argument", explanation: "The command needs a file, a directory or an option value that was not given." },
  SIM7205: { severity: "error", title: "no such model", explanation: "`--model` names a model the file does not declare, or the file declares several and none was chosen." },

  // ── SIM73xx: resources ──────────────────────────────────────────────────────────────────
  SIM7301: { severity: "error", title: "model does not fit the memory budget", explanation: "The estimated memory of the parameters, optimiser state and one batch's activations exceeds the budget (`--memory`, default half of the machine's memory)." },
  SIM7302: { severity: "warning", title: "model larger than the default memory budget", explanation: "`simc check` estimates that training this model needs more memory than `simc train` allows by default." },
} as const satisfies Record<string, GuardCodeInfo>;

export type GuardCode = keyof typeof table;
export const GUARD_CODE_INFO: Readonly<Record<GuardCode, GuardCodeInfo>> = table;
