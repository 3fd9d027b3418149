// Reads the JSON files of an ASA project with errors a person can act on: a syntax error
// names `file:line:col`, a schema mistake names the file and the JSON path.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { z } from "zod";
import { StreamkitError, StreamkitErrors, type SourceLocation } from "../core/errors";
import { formatJsonPath } from "../job/load";

export function lineColumnAt(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/** Parses a JSON file; a syntax error carries its line and column. */
export function readJsonFile(file: string, what: string): unknown {
  if (!existsSync(file)) throw new StreamkitError(`${what} not found: ${file}`, { file }, "ASA_PROJECT");
  let text = readFileSync(file, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? lineColumnAt(text, Number(at[1])) : /line (\d+) column (\d+)/.exec(message);
    const location =
      where && "line" in where
        ? { file, line: where.line, column: where.column }
        : where
          ? { file, line: Number(where[1]), column: Number(where[2]) }
          : { file };
    throw new StreamkitError(`${what} is not valid JSON: ${message}`, location, "ASA_PROJECT");
  }
}

/**
 * Validates parsed JSON against a schema; every mistake at once, each with its JSON path. Keys
 * match the schema's in any case (`"format": "Array"` is `Format`), as ASA's .NET tools read
 * these files (Json.NET matches property names case-insensitively).
 */
export function validate<T extends z.ZodType>(schema: T, value: unknown, file: string): z.infer<T> {
  const result = schema.safeParse(withSchemaKeys(schema, value));
  if (result.success) return result.data;
  throw new StreamkitErrors(
    result.error.issues.map((issue) => new StreamkitError(issue.message, { file, jsonPath: formatJsonPath(issue.path) }, "ASA_PROJECT")),
  );
}

/** `value` with each key spelt as the schema spells it where they differ only in case (an exact key wins). */
function withSchemaKeys(schema: z.ZodType, value: unknown): unknown {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodArray && Array.isArray(value)) return value.map((v) => withSchemaKeys(inner.element as z.ZodType, v));
  if (!(inner instanceof z.ZodObject) || typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const shape = inner.shape as Record<string, z.ZodType>;
  const byLower = new Map(Object.keys(shape).map((k) => [k.toLowerCase(), k]));
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    const known = Object.hasOwn(shape, key) ? key : byLower.get(key.toLowerCase());
    if (known === undefined || (known !== key && Object.hasOwn(record, known))) out[key] = v;
    else out[known] = withSchemaKeys(shape[known], v);
  }
  return out;
}

/** ASA project files are written on Windows too: `..\\data\\in.json` means `../data/in.json`. */
export function portablePath(path: string): string {
  return path.replace(/\\/g, "/");
}

/**
 * A path field of a project file, resolved from `base` (the folder of the file that holds it).
 * An absolute Windows path (`D:\data\x.json`, `\\server\share\x.json`) names a file on the machine
 * that wrote it: the error names the field, the path and a relative path to write instead.
 */
export function projectPath(base: string, raw: string, at: SourceLocation): string {
  if (/^[A-Za-z]:[\\/]/.test(raw) || raw.startsWith("\\\\")) {
    const found = sameFileHere(base, portablePath(raw));
    const name = portablePath(raw).split("/").pop();
    const fix = found !== undefined ? `'${found}': a file of that name is there` : `e.g. '${name}' for a file in that folder`;
    throw new StreamkitError(
      `'${raw}' is an absolute Windows path, which exists only on the machine that wrote it: write a path relative to ${base} (${fix})`,
      at,
      "ASA_PROJECT",
    );
  }
  return resolve(base, portablePath(raw));
}

/**
 * The file an absolute path of another machine most likely meant, relative to `base`: the
 * longest tail of its folders and name that exists from `base` or the folder above it (the
 * project's folder when `base` is `Inputs/`), e.g. `D:\repo\job\SampleData\in.json` →
 * `../SampleData/in.json`.
 */
function sameFileHere(base: string, path: string): string | undefined {
  const parts = path.split("/").filter(Boolean);
  for (let from = 1; from < parts.length; from++) {
    const tail = parts.slice(from).join("/");
    for (const dir of [base, dirname(base)]) {
      const candidate = join(dir, tail);
      if (existsSync(candidate) && statSync(candidate).isFile()) return relative(base, candidate);
    }
  }
  return undefined;
}

/** A child folder by name in any case (`test` or `Test`, `Inputs` or `inputs`). */
export function childFolder(dir: string, name: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const found = readdirSync(dir).find((n) => n.toLowerCase() === name.toLowerCase() && statSync(join(dir, n)).isDirectory());
  return found === undefined ? undefined : join(dir, found);
}
