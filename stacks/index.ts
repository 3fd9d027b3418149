// What a cdktf app reuses from the example solutions: the solution stack base (provider, state
// backend, resource group, logs, tags per environment) and the environments of cdktf.json.
export * from "./solution-stack";
export * from "./environments";
