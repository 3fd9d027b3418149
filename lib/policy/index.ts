export * from "./types";
export { checkStacks, formatFinding, globToRegExp, RULES } from "./check";
export { loadStacks, readStackFile } from "./load";
export { tlsVersion } from "./rules/tls";
