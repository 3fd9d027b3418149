// Reads the JSON files of an ASA project with errors a person can act on: a syntax error
// names `file:line:col`, a schema mistake names the file and the JSON path.
import { existsSync, readFileSync } from "node:fs";
import type { z } from "zod";
import { StreamkitError, StreamkitErrors } from "../core/errors";
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

/** Validates parsed JSON against a schema; every mistake at once, each with its JSON path. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, file: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new StreamkitErrors(
    result.error.issues.map((issue) => new StreamkitError(issue.message, { file, jsonPath: formatJsonPath(issue.path) }, "ASA_PROJECT")),
  );
}

/** ASA project files are written on Windows too: `..\\data\\in.json` means `../data/in.json`. */
export function portablePath(path: string): string {
  return path.replace(/\\/g, "/");
}
