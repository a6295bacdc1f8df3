import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DATA_SET_ENTRIES } from "../../vocabulary/data-sets.js";
import { dataSettingsMarkdown } from "../../vocabulary/data-forms/settings-table.js";

const page = readFileSync("docs/data.md", "utf8");

describe("docs/data.md", () => {
  it("holds the settings table generated from the data sets' table", () => {
    const start = "<!-- data-settings:start -->\n";
    const end = "<!-- data-settings:end -->";
    const section = page.slice(page.indexOf(start) + start.length, page.indexOf(end));
    expect(section).toBe(dataSettingsMarkdown());
  });

  it("lists every data set with the example its table entry gives", () => {
    for (const entry of DATA_SET_ENTRIES) expect(page).toContain(`| \`${entry.name}\` | \`${entry.example}\` |`);
  });

  it("is linked from the README and the language reference", () => {
    expect(readFileSync("README.md", "utf8")).toContain("(docs/data.md)");
    expect(readFileSync("docs/language.md", "utf8")).toContain("(data.md)");
  });
});
