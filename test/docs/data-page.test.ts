import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DATA_SET_ENTRIES } from "../../vocabulary/data-sets.js";
import { DATA_SETTINGS_START, dataSettingsMarkdown, withDataSettings } from "../../vocabulary/data-forms/settings-table.js";

const page = readFileSync("docs/data.md", "utf8");

describe("docs/data.md", () => {
  it("holds the settings table generated from the data sets' table (npm run gen:docs)", () => {
    expect(page).toContain(DATA_SETTINGS_START);
    expect(withDataSettings(page)).toBe(page);
    expect(page).toContain(dataSettingsMarkdown());
  });

  it("lists every data set with the example its table entry gives", () => {
    for (const entry of DATA_SET_ENTRIES) expect(page).toContain(`| \`${entry.name}\` | \`${entry.example}\` |`);
  });

  it("is linked from the README and the language reference", () => {
    expect(readFileSync("README.md", "utf8")).toContain("(docs/data.md)");
    expect(readFileSync("docs/language.md", "utf8")).toContain("(data.md)");
  });
});
