// Synth-time checks of a Spark job's code file: it exists, it compiles (with the machine's
// python3, when there is one) and it names every parameter the job hands it. Plain Node: no
// cdktf, no Azure. A notebook is checked cell by cell; magics (`%sql`, `%pip`, `!cmd`) are
// not Python and are left out of the compile, keeping line numbers.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";

export type SparkCodeKind = "python" | "notebook";

export interface SparkCodeCheck {
  /** Located problems, `file:line: message` (or `file: message`). */
  errors: string[];
  /** Things that could not be checked here (no python3), for a synth warning. */
  notes: string[];
}

/** One unit Python compiles: a file, or a notebook cell. */
interface Unit {
  name: string;
  text: string;
}

/** Databricks' source format: a `.py` notebook exported or committed from a workspace. */
export const DATABRICKS_NOTEBOOK_HEADER = "# Databricks notebook source";

/** Whether a file is a notebook: `.ipynb`, or a `.py` in Databricks' source format. */
export function isNotebookFile(path: string, text: string): boolean {
  return extname(path).toLowerCase() === ".ipynb" || (extname(path).toLowerCase() === ".py" && text.startsWith(DATABRICKS_NOTEBOOK_HEADER));
}

/** The Python of a code file: the file itself, or each code cell of a Jupyter notebook (magics blanked). */
export function pythonUnits(display: string, text: string): Unit[] | string {
  if (extname(display).toLowerCase() !== ".ipynb") return [{ name: display, text }];
  let notebook: { cells?: { cell_type?: string; source?: string | string[] }[] };
  try {
    notebook = JSON.parse(text);
  } catch (error) {
    return `${display}: not a Jupyter notebook (invalid JSON: ${(error as Error).message})`;
  }
  if (!Array.isArray(notebook.cells)) return `${display}: not a Jupyter notebook (no cells)`;
  const units: Unit[] = [];
  notebook.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const source = Array.isArray(cell.source) ? cell.source.join("") : (cell.source ?? "");
    // A cell that starts with a cell magic (%%sql, %sql, %md) is not Python at all.
    if (/^\s*%/.test(source.split("\n").find((l) => l.trim() !== "") ?? "")) return;
    units.push({ name: `${display} (cell ${i + 1})`, text: source.replace(/^(\s*)[%!].*$/gm, "$1pass") });
  });
  return units;
}

// compile() is what py_compile runs, without writing a .pyc next to the code.
const COMPILE = `
import json, sys
errors = []
for unit in json.load(sys.stdin):
    try:
        compile(unit["text"], unit["name"], "exec", dont_inherit=True)
    except SyntaxError as e:
        errors.append({"name": unit["name"], "line": e.lineno, "message": type(e).__name__ + ": " + str(e.msg)})
    except ValueError as e:
        errors.append({"name": unit["name"], "line": None, "message": "ValueError: " + str(e)})
print(json.dumps(errors))
`;

/** The Python interpreter to compile with: STREAMKIT_PYTHON, else `python3`; undefined when there is none. */
function python(): string | undefined {
  const candidate = process.env.STREAMKIT_PYTHON ?? "python3";
  const probe = spawnSync(candidate, ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? candidate : undefined;
}

/** Compiles the units; errors are `name:line: SyntaxError: …`. */
export function compilePython(units: Unit[], interpreter: string): string[] {
  const run = spawnSync(interpreter, ["-I", "-c", COMPILE], { input: JSON.stringify(units), encoding: "utf8" });
  if (run.status !== 0) throw new Error(`${interpreter} failed to compile: ${run.stderr.trim()}`);
  const found = JSON.parse(run.stdout) as { name: string; line: number | null; message: string }[];
  return found.map((e) => `${e.name}${e.line ? `:${e.line}` : ""}: ${e.message}`);
}

/** Whether the code names a parameter: as a string literal (`"name"`, `'name'`) or a flag (`--name`). */
export function namesParameter(text: string, name: string): boolean {
  return new RegExp(`["']${name}["']|--${name}\\b`).test(text);
}

/**
 * The checks: the file exists, is of its kind, compiles, and names each parameter.
 * `display` is the path to print (relative to the project).
 */
export function checkSparkCode(path: string, display: string, kind: SparkCodeKind, parameters: string[]): SparkCodeCheck {
  if (!existsSync(path)) return { errors: [`${display}: code file not found`], notes: [] };
  const text = readFileSync(path, "utf8");
  const notebook = isNotebookFile(path, text);
  if (kind === "python" && notebook) return { errors: [`${display}: is a notebook; declare it as a notebook, not a Python file`], notes: [] };
  if (kind === "python" && extname(path).toLowerCase() !== ".py") return { errors: [`${display}: a Python job's code is a .py file`], notes: [] };
  if (kind === "notebook" && !notebook) {
    return { errors: [`${display}: not a notebook: a .ipynb file, or a .py file that starts with '${DATABRICKS_NOTEBOOK_HEADER}'`], notes: [] };
  }
  const units = pythonUnits(display, text);
  if (typeof units === "string") return { errors: [units], notes: [] };
  const errors: string[] = [];
  const notes: string[] = [];
  const interpreter = python();
  if (interpreter) errors.push(...compilePython(units, interpreter));
  else notes.push(`${display}: not compiled: no python3 on this machine (set STREAMKIT_PYTHON to an interpreter to check it)`);
  const code = units.map((u) => u.text).join("\n");
  for (const name of parameters) {
    if (!namesParameter(code, name)) {
      errors.push(`${display}: the job hands the code parameter '${name}', which the code never names (read it with argparse '--${name}' or dbutils.widgets.get("${name}"))`);
    }
  }
  return { errors, notes };
}
