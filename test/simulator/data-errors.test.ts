// DataErrorLog: counts per ASA type, the first locations of each, listeners (a --max-errors limit
// throws from one), and a clear for a run that starts over.
import { DataErrorLog, FIRST_KEPT } from "../../lib/core/data-errors";

test("counts each type, keeps its first locations in order, lists types in ASA's order", () => {
  const log = new DataErrorLog();
  for (let i = 1; i <= FIRST_KEPT + 2; i++) log.add("InputEventTimestampNotFound", `bad time ${i}`, `in.json:${i}`);
  log.add("InputDeserializerError.InvalidData", "malformed JSON", "in.json:99");
  expect(log.total).toBe(FIRST_KEPT + 3);
  expect(log.count("InputEventTimestampNotFound")).toBe(FIRST_KEPT + 2);
  const summary = log.summary();
  expect(summary.map((s) => s.type)).toEqual(["InputDeserializerError.InvalidData", "InputEventTimestampNotFound"]);
  expect(summary[1].first.map((f) => f.origin)).toEqual(Array.from({ length: FIRST_KEPT }, (_, i) => `in.json:${i + 1}`));
});

test("a listener sees each error and can stop the run by throwing; clear forgets the counts", () => {
  const log = new DataErrorLog();
  log.onError((_error, l) => {
    if (l.total > 2) throw new Error("too many data errors");
  });
  log.add("QueryEvaluationError", "a");
  log.add("QueryEvaluationError", "b");
  expect(() => log.add("QueryEvaluationError", "c")).toThrow("too many data errors");
  log.clear();
  expect(log.total).toBe(0);
  expect(log.summary()).toEqual([]);
});
