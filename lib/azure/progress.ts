// A one-line status that rewrites itself on a terminal (stderr only, TTY only), so waiting
// on Azure shows life without flooding logs or pipes.
export interface StatusLine {
  update(text: string): void;
  /** Clears the line (before printing anything else). */
  clear(): void;
}

export function statusLine(stream: NodeJS.WriteStream = process.stderr): StatusLine {
  if (!stream.isTTY) return { update() {}, clear() {} };
  let shown = false;
  return {
    update(text) {
      const width = Math.max(20, (stream.columns || 80) - 1);
      stream.write(`\r\x1b[2K${text.length > width ? text.slice(0, width - 1) + "…" : text}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
