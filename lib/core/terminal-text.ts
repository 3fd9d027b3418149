// Text that came from outside (event fields, file names, error messages) printed to a terminal:
// an event must not be able to move the cursor, change colours or rewrite the line.

/** Text from events or errors made safe for a terminal: control characters (ESC, BEL, CR …) as \\xNN / \\uNNNN escapes. */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
