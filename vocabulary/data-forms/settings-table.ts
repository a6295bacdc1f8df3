/**
 * The settings of every data set as a Markdown table, for docs/data.md (written by `npm run
 * gen:docs`; a test keeps the page equal to it, so the documentation cannot drift from the table
 * the checker and loader read).
 */
import { DATA_SET_ENTRIES } from "../data-sets.js";
import { defaultOf, describeRange, describeType, type SettingType } from "../settings.js";

export function dataSettingsMarkdown(): string {
  const rows = ["| data set | setting | type | default | meaning |", "| --- | --- | --- | --- | --- |"];
  for (const entry of DATA_SET_ENTRIES) {
    if (entry.settings.length === 0) rows.push(`| \`${entry.name}\` | — | | | takes no settings |`);
    for (const setting of entry.settings) {
      const fallback = defaultOf(setting, {});
      const type = setting.columns ? "a column name or a list of them" : setting.path ? "a path" : typeText(setting.type);
      const shown = fallback !== undefined ? `\`${JSON.stringify(fallback)}\`` : setting.optional ? "(optional)" : "(required)";
      rows.push(`| \`${entry.name}\` | \`${setting.name}\` | ${type} | ${shown} | ${setting.doc ?? ""} |`);
    }
  }
  return `${rows.join("\n")}\n`;
}

function typeText(type: SettingType): string {
  const range = type.kind === "int" || type.kind === "float" ? describeRange(type) : "";
  const text = type.kind === "enum" ? type.members.join(" or ") : `${describeType(type)}${range ? ` ${range}` : ""}`;
  return text.replace(/\|/g, "\\|");
}

export const DATA_SETTINGS_START = "<!-- data-settings:start -->\n";
export const DATA_SETTINGS_END = "<!-- data-settings:end -->";

/** The page with its settings table replaced by the current one. */
export function withDataSettings(markdown: string): string {
  const start = markdown.indexOf(DATA_SETTINGS_START);
  const end = markdown.indexOf(DATA_SETTINGS_END);
  if (start < 0 || end < start) return markdown;
  return markdown.slice(0, start + DATA_SETTINGS_START.length) + dataSettingsMarkdown() + markdown.slice(end);
}
