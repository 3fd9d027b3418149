// The front end's signature catalogue (lib/saql/catalog) and these registries must name the same
// built-ins with the same arities: the checker accepts a call only if the engine can run it.
import { allFunctions, type FunctionSignature } from "../../../lib/saql/catalog";
import { AGGREGATES, SCALAR_FUNCTIONS, TABLE_FUNCTIONS, FunctionArgumentError } from "../../../lib/saql/functions";

/** Built-ins the engine evaluates itself rather than through the registries. */
const ENGINE_OWNED = new Set(["system.timestamp", "system.window"]);

const byKind = (kinds: string[]) =>
  allFunctions().filter((f) => kinds.includes(f.kind) && !ENGINE_OWNED.has(f.name.toLowerCase()));

describe("catalogue → registries", () => {
  test.each(byKind(["scalar", "geospatial"]).map((f) => [f.name, f] as [string, FunctionSignature]))("scalar %s is implemented", (_name, f) => {
    expect(SCALAR_FUNCTIONS[f.name.toLowerCase()]).toBeInstanceOf(Function);
  });

  test.each(byKind(["table-valued"]).map((f) => [f.name]))("table-valued %s is implemented", (name) => {
    expect(TABLE_FUNCTIONS[name.toLowerCase()]).toBeInstanceOf(Function);
  });

  test.each(byKind(["aggregate"]).map((f) => [f.name]))("aggregate %s is implemented", (name) => {
    expect(AGGREGATES[name.toLowerCase()]).toBeDefined();
  });
});

describe("registries → catalogue", () => {
  const catalogue = new Map(allFunctions().map((f) => [f.name.toLowerCase(), f]));
  test.each(Object.keys(SCALAR_FUNCTIONS).map((n) => [n]))("scalar %s is in the catalogue as scalar or geospatial", (name) => {
    expect(["scalar", "geospatial"]).toContain(catalogue.get(name)?.kind);
  });
  test.each(Object.keys(TABLE_FUNCTIONS).map((n) => [n]))("table-valued %s is in the catalogue", (name) => {
    expect(catalogue.get(name)?.kind).toBe("table-valued");
  });
  test.each(Object.keys(AGGREGATES).map((n) => [n]))("aggregate %s is in the catalogue", (name) => {
    const entry = catalogue.get(name);
    expect(entry?.kind === "aggregate" || entry?.aggregate === true).toBe(true);
  });
});

describe("arities agree", () => {
  const scalars = byKind(["scalar", "geospatial"]);
  test.each(scalars.map((f) => [f.name, f] as [string, FunctionSignature]))("%s refuses one argument too few and one too many", (_name, f) => {
    const fn = SCALAR_FUNCTIONS[f.name.toLowerCase()];
    const args = (n: number) => Array.from({ length: n }, () => null);
    if (f.minArgs > 0) expect(() => fn(args(f.minArgs - 1), {})).toThrow(FunctionArgumentError);
    if (Number.isFinite(f.maxArgs)) expect(() => fn(args(f.maxArgs + 1), {})).toThrow(FunctionArgumentError);
  });
});

describe("NULL in, NULL out, for every scalar built-in", () => {
  /** Built-ins whose first argument is a datepart name, not a value. */
  const UNIT_FIRST = new Set(["dateadd", "datediff", "datename", "datepart"]);
  /** The reference's documented exceptions: CONCAT and CONCAT_WS treat NULL as empty. */
  const NON_NULL: Record<string, unknown> = { concat: "", concat_ws: "" };
  const scalars = byKind(["scalar", "geospatial"]);
  test.each(scalars.map((f) => [f.name, f] as [string, FunctionSignature]))("%s(NULL, …)", (_name, f) => {
    const name = f.name.toLowerCase();
    const args = Array.from({ length: Math.max(f.minArgs, 1) }, (_, i) => (i === 0 && UNIT_FIRST.has(name) ? "day" : null));
    const expected = name in NON_NULL ? NON_NULL[name] : null;
    expect(SCALAR_FUNCTIONS[name](args, {})).toEqual(expected);
  });
});
