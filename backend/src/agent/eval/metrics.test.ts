import { describe, expect, it } from "vitest";
import { computeMetrics } from "./metrics.js";

const labels = ["a", "b", "c"] as const;
type L = (typeof labels)[number];
const pairs = (spec: Array<[L, L, number]>) => spec.flatMap(([gold, predicted, n]) => Array.from({ length: n }, () => ({ gold, predicted })));

describe("eval metrics", () => {
  it("scores a perfect run as 1 everywhere it has data", () => {
    const m = computeMetrics(labels, pairs([["a", "a", 2], ["b", "b", 1]]));
    expect(m.accuracy).toBe(1);
    expect(m.labels.a).toEqual({ precision: 1, recall: 1, f1: 1, support: 2 });
    expect(m.macroF1).toBe(1);
    expect(m.macroLabels).toEqual(["a", "b"]);
  });

  it("matches a hand-computed case", () => {
    // gold a: 3 rows, 2 predicted a, 1 predicted b; gold b: 2 rows, 1 b, 1 a; gold c: 1 row, predicted c.
    const m = computeMetrics(labels, pairs([["a", "a", 2], ["a", "b", 1], ["b", "b", 1], ["b", "a", 1], ["c", "c", 1]]));
    // a: TP 2, predicted 3, support 3 -> P 2/3, R 2/3, F1 2/3.
    expect(m.labels.a.precision).toBeCloseTo(2 / 3, 10);
    expect(m.labels.a.recall).toBeCloseTo(2 / 3, 10);
    expect(m.labels.a.f1).toBeCloseTo(2 / 3, 10);
    // b: TP 1, predicted 2, support 2 -> P 1/2, R 1/2, F1 1/2.
    expect(m.labels.b).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.labels.c).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(m.accuracy).toBeCloseTo(4 / 6, 10);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3, 10);
    expect(m.confusion.a).toEqual({ a: 2, b: 1, c: 0 });
    expect(m.confusion.b).toEqual({ a: 1, b: 1, c: 0 });
  });

  it("averages macro-F1 only over labels present in the gold data, yet counts wrong predictions of absent ones", () => {
    // No gold c; one row of a is wrongly predicted c.
    const m = computeMetrics(labels, pairs([["a", "a", 1], ["a", "c", 1], ["b", "b", 2]]));
    expect(m.macroLabels).toEqual(["a", "b"]);
    // a: P 1/1, R 1/2, F1 2/3; b: 1. c has support 0 and precision 0 (one prediction, none right).
    expect(m.labels.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 1) / 2, 10);
  });

  it("treats a label never predicted as precision 0, not NaN", () => {
    const m = computeMetrics(labels, pairs([["a", "b", 2]]));
    expect(m.labels.a).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(m.accuracy).toBe(0);
    expect(m.macroF1).toBe(0);
  });

  it("gives 0 rather than NaN for an empty run and rejects unknown labels", () => {
    const m = computeMetrics(labels, []);
    expect(m.accuracy).toBe(0);
    expect(m.macroF1).toBe(0);
    expect(() => computeMetrics(labels, [{ gold: "a", predicted: "z" as L }])).toThrow(/unknown label: z/);
  });
});
