export * from "./types";
export { checkStacks, declaredExposure, environmentOf, exposureFor, formatFinding, globToRegExp, isRuleName, productionFor, RULES } from "./check";
export { loadStacks, readStackFile } from "./load";
export { readEnvironments } from "./environments";
export { tlsVersion } from "./rules/common";
export { allowsInternet, describeCoverage } from "./ipv4";
