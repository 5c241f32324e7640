import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend, backendInfo, backendLine } from "../src/backend.js";
import { ParameterError } from "../src/errors.js";

describe("backend selection", () => {
  it("auto picks a real backend and reports what it tried", async () => {
    const info = await initBackend({ backend: "auto" });
    expect(["tensorflow", "wasm", "cpu"]).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    expect(info.tried.at(-1)!.ok).toBe(true);
    expect(backendLine(info)).toContain(`backend "${info.name}"`);
    // Numbers from the active backend, not just "it loaded".
    const y = tf.tensor2d([[1, 2], [3, 4]]).matMul(tf.tensor2d([[5], [6]])).dataSync();
    expect(Array.from(y)).toEqual([17, 39]);
  });

  it("can be forced to cpu and reports the reason", async () => {
    const info = await initBackend({ backend: "cpu" });
    expect(info.name).toBe("cpu");
    expect(info.reason).toBe("forced by option");
    expect(backendInfo()?.name).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
  });

  it("forcing an unavailable backend is an error naming it, not a silent fallback", async () => {
    const before = tf.getBackend();
    await expect(initBackend({ backend: "tensorflow" })).rejects.toThrow(/Backend "tensorflow".*not available/);
    expect(tf.getBackend()).toBe(before);
  });

  it("rejects unknown backend names from the option and from W4S4_BACKEND", async () => {
    await expect(initBackend({ backend: "gpu" as never })).rejects.toThrow(ParameterError);
    await expect(initBackend({ backend: "gpu" as never })).rejects.toThrow(/Invalid backend: got "gpu"; allowed: one of auto, tensorflow, wasm, cpu, webgpu/);
    process.env.W4S4_BACKEND = "tpu";
    try {
      await expect(initBackend()).rejects.toThrow(/Invalid W4S4_BACKEND: got "tpu"/);
    } finally {
      delete process.env.W4S4_BACKEND;
    }
  });
});
