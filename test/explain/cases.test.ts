// Golden cases of `streamkit explain`'s analysis: one folder per rule of the query-parallelization and
// repartitioning articles (most with the article's own query), each with a source.md citing it.
// UPDATE_GOLDEN=1 rewrites expected.json; review the diff against the cited article.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ARTICLES } from "../../lib/explain/citations";
import { CASES, explainCase, summary } from "./harness";

describe("explain golden cases", () => {
  const names = readdirSync(CASES).filter((n) => existsSync(join(CASES, n, "query.asaql")));
  it("has a case per rule", () => expect(names.length).toBeGreaterThanOrEqual(20));
  it.each(names)("%s", (name) => {
    const source = readFileSync(join(CASES, name, "source.md"), "utf8");
    expect(Object.values(ARTICLES).some((a) => source.includes(a))).toBe(true);
    const got = summary(explainCase(name));
    const file = join(CASES, name, "expected.json");
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, JSON.stringify(got, null, 2) + "\n");
    expect(got).toEqual(JSON.parse(readFileSync(file, "utf8")));
  });
});
