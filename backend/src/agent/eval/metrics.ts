/**
 * Classification metrics for the eval: per-label precision, recall, F1 and support, accuracy,
 * macro-F1 and the confusion matrix. Conventions, stated once: a ratio with a zero denominator is 0
 * (no predictions of a label: precision 0; no gold rows: recall 0), and macro-F1 is the mean F1 over
 * the labels that occur in the gold data (support > 0), so a file without, say, pricing rows is not
 * marked down for them.
 */
export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics<L extends string> {
  total: number;
  correct: number;
  accuracy: number;
  macroF1: number;
  /** Labels averaged by macro-F1: those with support > 0. */
  macroLabels: L[];
  labels: Record<L, LabelMetrics>;
  /** confusion[gold][predicted] = count. */
  confusion: Record<L, Record<L, number>>;
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);

export function computeMetrics<L extends string>(labels: readonly L[], pairs: ReadonlyArray<{ gold: L; predicted: L }>): Metrics<L> {
  const confusion = Object.fromEntries(labels.map((g) => [g, Object.fromEntries(labels.map((p) => [p, 0]))])) as Record<L, Record<L, number>>;
  for (const { gold, predicted } of pairs) {
    if (!(gold in confusion) || !(predicted in confusion)) throw new Error(`unknown label: ${!(gold in confusion) ? gold : predicted}`);
    confusion[gold][predicted]++;
  }
  const perLabel = {} as Record<L, LabelMetrics>;
  for (const label of labels) {
    const truePositives = confusion[label][label];
    const support = labels.reduce((sum, p) => sum + confusion[label][p], 0);
    const predicted = labels.reduce((sum, g) => sum + confusion[g][label], 0);
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    perLabel[label] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  }
  const correct = labels.reduce((sum, l) => sum + confusion[l][l], 0);
  const macroLabels = labels.filter((l) => perLabel[l].support > 0);
  const macroF1 = ratio(
    macroLabels.reduce((sum, l) => sum + perLabel[l].f1, 0),
    macroLabels.length,
  );
  return { total: pairs.length, correct, accuracy: ratio(correct, pairs.length), macroF1, macroLabels, labels: perLabel, confusion };
}
