// Errors are values with a location until the CLI edge, where they become a message and
// a non-zero exit. Every subsystem throws or returns these, never bare strings.

/** Where something is: a query (`file:line:col`), an event (`file:line`) or a JSON path. */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** A JSON path inside a configuration file, e.g. `inputs[0].kind`. */
  jsonPath?: string;
}

export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc) return "";
  let text = loc.file ?? "";
  if (loc.line !== undefined) {
    text += `${text ? ":" : "line "}${loc.line}`;
    if (loc.column !== undefined) text += `:${loc.column}`;
  }
  if (loc.jsonPath) text += `${text ? " " : ""}at ${loc.jsonPath}`;
  return text;
}

/** An error a user can act on: what is wrong, where, and (in the message) how to fix it. */
export class StreamkitError extends Error {
  constructor(
    message: string,
    readonly location?: SourceLocation,
    /** A stable code for tests and tools, e.g. `JOB_SCHEMA`, `NOT_SUPPORTED`. */
    readonly code = "STREAMKIT",
  ) {
    super(message);
    this.name = "StreamkitError";
  }

  /** `file:line:col: message`, the way compilers print. */
  describe(): string {
    const where = formatLocation(this.location);
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/** A feature the local engine does not implement: a clear stop, never a wrong answer. */
export class NotSupportedError extends StreamkitError {
  constructor(feature: string, location?: SourceLocation) {
    super(`${feature} is not supported by the local engine`, location, "NOT_SUPPORTED");
    this.name = "NotSupportedError";
  }
}

/** Several errors found at once (e.g. every mistake in a job file). */
export class StreamkitErrors extends StreamkitError {
  constructor(readonly errors: StreamkitError[]) {
    super(errors.map((e) => e.describe()).join("\n"), errors[0]?.location, errors[0]?.code);
    this.name = "StreamkitErrors";
  }

  describe(): string {
    return this.message;
  }
}
