import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseInstant } from "../../../local/runtime/clock.ts";
import {
  clockBehindDataWarning,
  DATA_CLOCK_FILE,
  readDataClock,
  recordDataClock,
} from "../../../local/runtime/data-clock.ts";

const MONDAY = parseInstant("2026-11-23T07:00:00+07:00");
const WEDNESDAY = parseInstant("2026-11-25T10:12:00+07:00");

describe("the data folder's clock", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "dunghan-data-clock-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is unknown in a new folder, then the latest instant recorded (never moved back)", async () => {
    expect(await readDataClock(dir)).toBeUndefined();
    await recordDataClock(dir, WEDNESDAY);
    await recordDataClock(dir, MONDAY);
    expect(await readDataClock(dir)).toBe(WEDNESDAY);
  });

  it("says nothing from a damaged file, and a record repairs it", async () => {
    await writeFile(join(dir, DATA_CLOCK_FILE), "{not json");
    expect(await readDataClock(dir)).toBeUndefined();
    await recordDataClock(dir, MONDAY);
    expect(await readDataClock(dir)).toBe(MONDAY);
  });
});

describe("clockBehindDataWarning", () => {
  it("warns when --clock is before the data, naming both instants and both ways out", () => {
    const warning = clockBehindDataWarning({
      start: MONDAY,
      latest: WEDNESDAY,
      dataDir: ".dunghan",
      clockGiven: true,
    });
    expect(warning).toContain(
      "--clock 2026-11-23T07:00:00+07:00 is earlier than the data in .dunghan, whose clock has reached 2026-11-25T10:12:00+07:00",
    );
    expect(warning).toContain("--fresh (deletes .dunghan)");
    expect(warning).toContain("--clock 2026-11-25T10:12:00+07:00 or later");
  });

  it("suggests the first whole minute at or after the data's clock", () => {
    const latest = WEDNESDAY + 28_200;
    const warning = clockBehindDataWarning({ start: MONDAY, latest, dataDir: "d", clockGiven: true });
    expect(warning).toContain("whose clock has reached 2026-11-25T10:12:28.200+07:00.");
    expect(warning).toContain("--clock 2026-11-25T10:13:00+07:00 or later");
  });

  it("names the real time when no --clock was given", () => {
    const warning = clockBehindDataWarning({
      start: MONDAY,
      latest: WEDNESDAY,
      dataDir: "d",
      clockGiven: false,
    });
    expect(warning).toContain(
      "the clock (real time, 2026-11-23T07:00:00+07:00) is earlier than the data in d",
    );
  });

  it("is silent for a clock at or after the data, and for a folder with no clock yet", () => {
    const base = { dataDir: ".dunghan", clockGiven: true };
    expect(clockBehindDataWarning({ ...base, start: WEDNESDAY, latest: WEDNESDAY })).toBeUndefined();
    expect(clockBehindDataWarning({ ...base, start: WEDNESDAY, latest: MONDAY })).toBeUndefined();
    expect(clockBehindDataWarning({ ...base, start: MONDAY, latest: undefined })).toBeUndefined();
  });
});
