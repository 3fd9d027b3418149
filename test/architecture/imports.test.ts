import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { checkImport, findImportViolations, importsOf } from "./import-rules";

const PROJECT = resolve(__dirname, "../..");
const FOLDERS = ["lib", "constructs", "stacks", "test", "bench", "queries", "main.ts"];

describe("architecture rules", () => {
  it("hold for the whole tree", () => {
    const violations = findImportViolations(PROJECT, FOLDERS);
    expect(violations.map((v) => `${v.file}:${v.line}: ${v.specifier}: ${v.rule}`)).toEqual([]);
  });

  describe("the checker itself", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "streamkit-arch-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function write(path: string, text: string): void {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }

    it("catches a root import of the provider, even inside constructs/", () => {
      write("constructs/hub.ts", `import { eventhub } from "@cdktf/provider-azurerm";\n`);
      write("constructs/ok.ts", `import { Eventhub } from "@cdktf/provider-azurerm/lib/eventhub";\n`);
      const found = findImportViolations(dir, ["constructs"]);
      expect(found).toEqual([
        expect.objectContaining({ file: join("constructs", "hub.ts"), line: 1, specifier: "@cdktf/provider-azurerm" }),
      ]);
    });

    it("holds the Databricks provider to the same seam as azurerm", () => {
      write("constructs/job.ts", `import { Job } from "@cdktf/provider-databricks";\nimport { Job as J } from "@cdktf/provider-databricks/lib/job";\n`);
      write("stacks/s.ts", `import { Job } from "@cdktf/provider-databricks/lib/job";\n`);
      expect(findImportViolations(dir, ["constructs", "stacks"]).map((v) => `${v.file}:${v.line}: ${v.rule}`)).toEqual([
        `${join("constructs", "job.ts")}:1: import provider classes by deep path (@cdktf/provider-databricks/lib/<resource>), never from the package root`,
        `${join("stacks", "s.ts")}:1: only constructs/ imports @cdktf/provider-databricks`,
      ]);
    });

    it("catches the provider outside constructs/", () => {
      write("stacks/s.ts", `\nimport { Eventhub } from "@cdktf/provider-azurerm/lib/eventhub";\n`);
      expect(findImportViolations(dir, ["stacks"])).toEqual([
        expect.objectContaining({ line: 2, rule: "only constructs/ imports @cdktf/provider-azurerm" }),
      ]);
    });

    it("catches lib/ importing constructs/ and lib/saql importing cdktf or Azure", () => {
      expect(checkImport("lib/job/x.ts", "../../constructs/job")).toMatch(/lib\/ never imports/);
      expect(checkImport("lib/saql/parse/x.ts", "cdktf")).toMatch(/lib\/saql/);
      expect(checkImport("lib/saql/x.ts", "@azure/identity")).toMatch(/lib\/saql/);
      expect(checkImport("lib/azure/x.ts", "@azure/identity")).toBeUndefined();
      expect(checkImport("lib/saql/x.ts", "./ast")).toBeUndefined();
    });

    it("reads import, export-from, require and dynamic import", () => {
      const text = `import a from "a";\nexport { b } from "b";\nconst c = require("c");\nconst d = await import("d");\nimport "e";\n`;
      expect(importsOf(text).map((i) => `${i.line}:${i.specifier}`)).toEqual(["1:a", "2:b", "3:c", "4:d", "5:e"]);
    });
  });
});
