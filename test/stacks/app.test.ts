import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { Testing } from "cdktf";
import { buildApp } from "../../stacks/app";
import { parseEnvironments } from "../../stacks/environments";

const PROJECT = resolve(__dirname, "../..");

describe("the example app", () => {
  const outdirs: string[] = [];
  afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("builds one stack per environment of cdktf.json", () => {
    const app = buildApp(PROJECT, Testing.app().outdir);
    outdirs.push(app.outdir);
    const ids = app.node.children.map((c) => c.node.id);
    expect(ids).toEqual(expect.arrayContaining(["foundation-dev", "foundation-prod"]));
  });

  it("rejects a malformed environment with its path", () => {
    expect(() => parseEnvironments({ dev: { location: "westeurope", namePrefix: "Bad Prefix" } }, "cdktf.json")).toThrow(
      /name prefix/,
    );
  });
});
