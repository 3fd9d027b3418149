export * from "./types";
export { checkStacks, declaredExposure, exposureFor, formatFinding, globToRegExp, RULES } from "./check";
export { loadStacks, readStackFile } from "./load";
export { tlsVersion } from "./rules/tls";
