// The test suite itself: `npm test` never writes a missing snapshot (jest --ci fails instead),
// and a test that starts a process it does not wait for ends it in finally/afterEach/afterAll,
// so a red run ends instead of hanging.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "../..");

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}

test("npm test runs jest with --ci", () => {
  const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(scripts.test).toMatch(/\bjest --ci\b/);
});

test("every test that spawns a process it does not wait for ends it in finally, afterEach or afterAll", () => {
  const offenders = testFiles(join(root, "test")).filter((file) => {
    if (file === __filename) return false;
    const text = readFileSync(file, "utf8");
    // spawn() itself, or a helper that starts a server process (the fake ARM).
    if (!/\b(spawn|startFakeArm)\(/.test(text)) return false;
    return !/finally\s*\{[^}]*\.(kill|stop)\(|after(Each|All)\([^)]*\)?[^;]*\.(kill|stop)\(/s.test(text);
  });
  expect(offenders.map((f) => relative(root, f))).toEqual([]);
});
