/**
 * Class labels written as text (CSV cells, folder names): each distinct value is a class, in
 * a stable order — numeric when every label is a number, else by code point — and the names
 * are kept for reports.
 */

export interface ClassIndex {
  names: string[];
  indexOf: Map<string, number>;
}

export function classIndex(labels: Iterable<string>): ClassIndex {
  const distinct = [...new Set(labels)];
  const numeric = distinct.every((l) => l !== "" && Number.isFinite(Number(l)));
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { names: distinct, indexOf: new Map(distinct.map((name, i) => [name, i])) };
}
