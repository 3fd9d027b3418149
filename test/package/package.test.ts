// The package as a platform team gets it: `npm pack` → `npx streamkit init` from the tarball →
// `npm install` in the new app → the whole cdktf workflow there. It installs ~550 packages (from
// the npm cache when warm), so it runs only when asked: STREAMKIT_PACKAGE_TEST=1 (.ci/run does).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const REPO = resolve(__dirname, "../..");
const enabled = process.env.STREAMKIT_PACKAGE_TEST === "1";

interface Step {
  stdout: string;
  stderr: string;
}

/** Runs a command; a failure shows its whole output. Prints how long it took (the test is slow by nature). */
function step(command: string, args: string[], cwd: string): Step {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", NO_COLOR: "1", FORCE_COLOR: "0", STREAMKIT_PACKAGE_TEST: "" },
    timeout: 15 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(`package test: ${command} ${args.join(" ")}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} in ${cwd} ended with ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Every file under a folder with its content, for comparing two synth outputs. */
function tree(dir: string, prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(files, tree(dir, path));
    else files[path] = readFileSync(join(dir, path), "utf8");
  }
  return files;
}

(enabled ? describe : describe.skip)("the packed package in a new project (STREAMKIT_PACKAGE_TEST=1)", () => {
  let work: string;
  beforeAll(() => (work = mkdtempSync(join(tmpdir(), "streamkit-package-"))));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("packs, scaffolds with npx streamkit init, installs without warnings, and synth, cdktf synth, check, test and policy pass", () => {
    // npm pack runs prepack (the tsc build into dist/).
    const packed = step("npm", ["pack", "--pack-destination", work, "--json"], REPO);
    const [{ filename, files }] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const tarball = join(work, filename);
    const paths = files.map((f) => f.path);
    // Compiled JavaScript and declarations, no TypeScript sources, no tests.
    expect(paths).toEqual(expect.arrayContaining(["bin/streamkit", "dist/lib/cli/main.js", "dist/constructs/index.d.ts", "dist/lib/job/index.js", "package.json"]));
    expect(paths.filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts"))).toEqual([]);
    expect(paths.filter((p) => /\.test\./.test(p))).toEqual([]);

    step("npx", ["--yes", "--package", `file:${tarball}`, "streamkit", "init", "app", "--streamkit", `file:${tarball}`], work);
    const app = join(work, "app");
    const install = step("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], app);
    // No engine warning on this Node, no install-script notice, nothing else.
    expect(install.stderr).not.toMatch(/EBADENGINE/);
    expect(install.stderr).not.toMatch(/npm warn/);

    // The installed streamkit runs compiled JavaScript: no TypeScript in it, no tsx among its dependencies.
    const installed = join(app, "node_modules/streamkit");
    expect(existsSync(join(installed, "lib"))).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).dependencies)).not.toContain("tsx");
    expect(step("npx", ["streamkit", "--version"], app).stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version);

    expect(step("npm", ["run", "synth"], app).stdout).toBeDefined();
    expect(existsSync(join(app, "queries/telemetry/job.json"))).toBe(true);
    const synthesized = tree(join(app, "cdktf.out"));
    expect(Object.keys(synthesized)).toEqual(expect.arrayContaining(["stacks/telemetry-dev/cdk.tf.json", "stacks/telemetry-prod/cdk.tf.json"]));
    rmSync(join(app, "cdktf.out"), { recursive: true });
    step("npx", ["cdktf", "synth"], app);
    expect(tree(join(app, "cdktf.out"))).toEqual(synthesized);
    // A bare `npx cdktf diff` with no Azure login (and here no Terraform either: only node's folder
    // and the system's on PATH) stops at the synth with streamkit's one line, before terraform init.
    const diff = spawnSync("npx", ["cdktf", "diff", "telemetry-dev"], {
      cwd: app,
      encoding: "utf8",
      env: { ...process.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ARM_CLIENT_ID: "", ARM_USE_MSI: "", CHECKPOINT_DISABLE: "1", NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" },
      timeout: 5 * 60_000,
    });
    expect(diff.status).not.toBe(0);
    expect(`${diff.stdout}${diff.stderr}`).toMatch(/streamkit: cdktf diff cannot start: (.*; )?no Azure login: run 'az login'/);
    expect(`${diff.stdout}${diff.stderr}`).not.toMatch(/terraform init/);

    expect(step("npx", ["streamkit", "check", "queries/telemetry/query.asaql", "--job", "queries/telemetry/job.json"], app).stdout).toContain(
      "queries/telemetry/query.asaql: ok (1 input(s), 1 output(s))",
    );
    expect(step("npx", ["streamkit", "test"], app).stdout).toContain("1 passed, 0 failed");
    expect(step("npx", ["streamkit", "policy", "cdktf.out"], app).stdout).toMatch(/^policy: ok in 2 stack\(s\)/);
    // The app's own tests: the query test case and the synth snapshot (written on the first run, compared on the second).
    step("npm", ["test"], app);
    expect(existsSync(join(app, "test/__snapshots__/telemetry-dev.json"))).toBe(true);
    expect(step("npm", ["test"], app).stdout).toMatch(/# pass 1\n# fail 0/);
  }, 30 * 60_000);
});
