/** The eval's printed report: a table a person reads, and the one-line JSON other tools parse. */
import type { Metrics } from "./metrics.js";

const f3 = (x: number) => x.toFixed(3);

export function formatReport<L extends string>(labels: readonly L[], metrics: Metrics<L>): string {
  const width = Math.max(...labels.map((l) => l.length), "label".length) + 2;
  const lines = [`${"label".padEnd(width)}precision  recall     f1  support`];
  for (const label of labels) {
    const m = metrics.labels[label];
    lines.push(`${label.padEnd(width)}${f3(m.precision).padStart(9)}  ${f3(m.recall).padStart(6)}  ${f3(m.f1).padStart(5)}  ${String(m.support).padStart(7)}`);
  }
  lines.push("");
  lines.push(`accuracy  ${f3(metrics.accuracy)}  (${metrics.correct}/${metrics.total})`);
  lines.push(`macro-F1  ${f3(metrics.macroF1)}  (mean F1 over the ${metrics.macroLabels.length} labels with support > 0: ${metrics.macroLabels.join(", ")})`);
  lines.push("");
  lines.push("confusion matrix (rows: gold label, columns: predicted label)");
  const codes = labels.map((_, i) => `L${i + 1}`);
  lines.push(`${"".padEnd(width + 4)}${codes.map((c) => c.padStart(6)).join("")}`);
  labels.forEach((gold, i) => {
    lines.push(`${codes[i]!.padEnd(4)}${gold.padEnd(width)}${labels.map((p) => String(metrics.confusion[gold][p]).padStart(6)).join("")}`);
  });
  return lines.join("\n");
}

export function jsonSummary<L extends string>(labels: readonly L[], metrics: Metrics<L>): string {
  return JSON.stringify({
    accuracy: metrics.accuracy,
    macro_f1: metrics.macroF1,
    labels: Object.fromEntries(labels.map((l) => [l, metrics.labels[l]])),
  });
}
