// `streamkit init <dir>`: the scaffold a platform team starts from. The whole workflow in the new
// project (npm install of the packed package, synth, cdktf synth, check, test, policy) runs in
// test/package/package.test.ts; here, the command itself and the scaffold's query test case.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverCases, loadRunQuery, runCases } from "../../lib/simulator/testing";
import { checkQuery } from "../../lib/saql";
import { runCli } from "./cli-process";

const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8"));

describe("streamkit init", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "streamkit-init-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("scaffolds a cdktf app: package.json pinned like streamkit, environments, one pipeline stack, a query with a passing test case", async () => {
    const app = join(dir, "My App");
    const result = runCli(["init", app, "--solution", "orders"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stacks orders-dev and orders-prod");
    expect(result.stdout).toMatch(/npm install\n\s+npm run synth\n\s+npm test/);

    const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
    expect(manifest.name).toBe("my-app");
    expect(manifest.dependencies).toEqual({ cdktf: pkg.devDependencies.cdktf, constructs: pkg.devDependencies.constructs, streamkit: pkg.version });
    expect(manifest.devDependencies["cdktf-cli"]).toBe(pkg.devDependencies["cdktf-cli"]);
    expect(manifest.scripts.test).toBe("streamkit test && node --require tsx/cjs --test test/synth.test.ts");

    const cdktf = JSON.parse(readFileSync(join(app, "cdktf.json"), "utf8"));
    expect(cdktf.app).toBe("node node_modules/streamkit/bin/streamkit preflight --cdktf-app && node --require tsx/cjs main.ts");
    expect(Object.keys(cdktf.context.environments)).toEqual(["dev", "prod"]);
    // The environments are what the solution stack base accepts.
    const { parseEnvironments } = await import("../../stacks/environments");
    expect(() => parseEnvironments(cdktf.context.environments, "cdktf.json")).not.toThrow();

    const main = readFileSync(join(app, "main.ts"), "utf8");
    expect(main).toContain('from "streamkit/constructs"');
    expect(main).toContain('query: QUERY');
    expect(main).toContain('sources: { events:');
    expect(main).toContain('sinks: { lake:');
    expect(readFileSync(join(app, ".gitignore"), "utf8").split("\n")).toEqual(expect.arrayContaining(["cdktf.out/", "LocalRunOutputs/", "node_modules/"]));
    expect(readFileSync(join(app, "README.md"), "utf8")).toContain("npx cdktf synth");

    // The query checks against the aliases main.ts declares, and its one test case passes.
    const query = readFileSync(join(app, "queries/orders/query.asaql"), "utf8");
    const checked = checkQuery(query);
    expect(checked.diagnostics).toEqual([]);
    expect(checked.inputs).toEqual(["events"]);
    expect(checked.outputs).toEqual(["lake"]);
    const results = await runCases(discoverCases([join(app, "queries")]), { runQuery: loadRunQuery() });
    expect(results.map((r) => [r.testCase.name, r.status])).toEqual([["orders › per-minute", "passed"]]);
  });

  it("depends on the streamkit given with --streamkit (a packed tarball)", () => {
    const app = join(dir, "app");
    expect(runCli(["init", app, "--streamkit", "file:../streamkit-1.0.0.tgz"]).code).toBe(0);
    expect(JSON.parse(readFileSync(join(app, "package.json"), "utf8")).dependencies.streamkit).toBe("file:../streamkit-1.0.0.tgz");
    expect(existsSync(join(app, "queries/telemetry/query.asaql"))).toBe(true);
  });

  it("refuses a folder that is not empty, and a solution name Azure names cannot hold, with exit 2 and nothing written", () => {
    writeFileSync(join(dir, "keep.txt"), "mine");
    const busy = runCli(["init", dir]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/is not empty: give a new or empty folder/);
    expect(existsSync(join(dir, "package.json"))).toBe(false);

    const bad = runCli(["init", join(dir, "new"), "--solution", "Orders_EU"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--solution 'Orders_EU' is not a solution name/);
    expect(existsSync(join(dir, "new"))).toBe(false);
  });
});
