/**
 * `simc train` reports validation's share of the wall time: the image-regression spec trained
 * full batch on a small image, its summary line, JSON document and run files agreeing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeValidationTime, runTrain } from "../../cli/commands/train.js";
import { capture } from "./capture.js";

let dir: string;
let image: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "simc-validation-time-"));
  // 16×16 pixels: 64 per quarter, so a full-batch step takes milliseconds.
  const png = new PNG({ width: 16, height: 16 });
  for (let i = 0; i < 16 * 16; i++) png.data.set([(i * 7) % 256, (i * 3) % 256, i % 256, 255], 4 * i);
  image = join(dir, "small.png");
  writeFileSync(image, PNG.sync.write(png));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("validation time in the train summary", () => {
  it("full-batch image regression: passes, seconds and share agree with the run's metrics", async () => {
    const out = join(dir, "run");
    const data = `image(path: "${image}")`;
    const json = await capture(() => runTrain("specs/image-regression/rff-only.sim", { data, epochs: 4, backend: "cpu", out, json: true }));
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.validationTime.cadence).toBe("by time, aiming at 5 % of the wall time");
    const epochs = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    const validated = epochs.filter((e) => e.valSeconds !== undefined);
    expect(validated[0].epoch).toBe(1);
    expect(validated.at(-1).epoch).toBe(4);
    expect(doc.validationTime.passes).toBe(validated.length);
    const seconds = validated.reduce((sum: number, e: { valSeconds: number }) => sum + e.valSeconds, 0);
    expect(doc.validationTime.seconds).toBeCloseTo(seconds, 6);
    expect(doc.validationTime.shareOfTraining).toBeGreaterThan(0);
    expect(doc.validationTime.shareOfTraining).toBeLessThan(1);
    expect(readFileSync(join(out, "metrics.csv"), "utf8").split("\n")[0]).toContain(",val_psnr,val_seconds,");
    expect(json.stderr).toMatch(/^validation \d+\.\d s in \d passes: \d+\.\d % of training's \d+\.\d s \(by time, aiming at 5 % of the wall time; validate_every sets it\)$/m);
  }, 60_000);

  it("says nothing when the run did not validate, and words a single pass", () => {
    const result = { validations: 0, validationSeconds: 0, validationCadence: "every epoch", wallSeconds: 3 };
    expect(describeValidationTime(result)).toBeUndefined();
    expect(describeValidationTime({ ...result, validations: 1, validationSeconds: 0.5 })).toBe(
      "validation 0.5 s in 1 pass: 16.7 % of training's 3.0 s (every epoch; validate_every sets it)",
    );
  });
});
