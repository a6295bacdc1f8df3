/**
 * The data sets simc can load: the vocabulary's table (`vocabulary/data-sets.ts`), which the
 * checker reads too. A new data set is one entry there and one loader in `index.ts`.
 */
import { DATA_SET_ENTRIES, findDataSet, type DataSetEntry } from "../../vocabulary/data-sets.js";

export type DataSetInfo = DataSetEntry;

export const DATASETS: readonly DataSetInfo[] = DATA_SET_ENTRIES;

export function datasetNames(): string[] {
  return DATASETS.map((d) => d.name);
}

export const findDataset = findDataSet;
