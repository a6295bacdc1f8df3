/**
 * The trials as a table, like Ray Tune's reporter: id, status, the sampled values, epochs done,
 * the last metric. Used live while the search runs and for the final ranking.
 */
import type { Journal, TrialState } from "./journal.js";
import { lastMetric } from "./tuner.js";

function formatMetric(metric: string, value: number): string {
  if (Number.isNaN(value)) return "—";
  return metric === "val_accuracy" ? `${(100 * value).toFixed(2)}%` : value.toFixed(4);
}

export function renderTable(journal: Journal, trials: readonly TrialState[] = journal.trials): string {
  const names = Object.keys(journal.trials[0]?.values ?? {});
  const header = ["trial", "status", ...names, "epoch", journal.metric];
  const rows = trials.map((t) => [
    t.id,
    t.status,
    ...names.map((n) => t.values[n] ?? ""),
    `${t.results.length}/${t.epochs}`,
    formatMetric(journal.metric, lastMetric(t)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** `3 running, 2 pending, 1 stopped, 2 finished` */
export function statusCounts(journal: Journal): string {
  const counts = new Map<string, number>();
  for (const t of journal.trials) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  return ["running", "pending", "stopped", "finished", "failed"]
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(", ");
}
