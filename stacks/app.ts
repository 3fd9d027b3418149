import { App } from "cdktf";
import { loadEnvironments } from "./environments";
import { FoundationStack } from "./foundation-stack";

/** Builds every example stack for every environment of cdktf.json. */
export function buildApp(projectDir: string, outdir?: string): App {
  const app = new App(outdir ? { outdir } : {});
  const environments = loadEnvironments(projectDir);
  for (const [name, env] of Object.entries(environments)) {
    new FoundationStack(app, `foundation-${name}`, env);
  }
  return app;
}
