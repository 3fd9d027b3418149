// Property: however commands are laid out in a script (blank lines, `//` comments, multi-line
// function bodies and verbatim strings holding lines that start with '.'), splitting finds
// exactly the commands, each at the line it starts on; and a reference to a name no script
// created is reported at the line that names it.
import fc from "fast-check";
import { checkKqlScripts, splitCommands } from "../../lib/kql/check";

/** One command as lines: a table, a function whose body spans lines, a policy whose JSON holds a '.'-line. */
const command = fc.oneof(
  fc.nat({ max: 99 }).map((n) => [`.create-merge table T${n} (a: string)`]),
  fc.tuple(fc.nat({ max: 99 }), fc.nat({ max: 4 })).map(([n, extra]) => [`.create-or-alter function F${n}() {`, "  Raw", ...Array.from({ length: extra }, (_, i) => `  | extend c${i} = '.x'`), "  | take 1", "}"]),
  fc.nat({ max: 99 }).map((n) => [`.alter table Raw policy update @'[{"Source": "Raw",`, `.${n}: "not a command"}]'`]),
);
const separator = fc.array(fc.constantFrom("", "// a comment", "   ", "// .alter table Nope policy caching hot = 1d"), { maxLength: 3 });

describe("splitCommands", () => {
  it("finds every command at its line, whatever lies between", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(separator, command), { minLength: 1, maxLength: 8 }), (parts) => {
        const lines: string[] = [];
        const expected: { line: number; first: string }[] = [];
        for (const [between, cmd] of parts) {
          lines.push(...between);
          // Commands are separated by at least a line end; a blank line is not required.
          expected.push({ line: lines.length + 1, first: cmd[0]! });
          lines.push(...cmd);
        }
        const found = splitCommands(lines.join("\n"));
        expect(found.map((c) => ({ line: c.line, first: c.text.split("\n")[0]! }))).toEqual(expected);
      }),
    );
  });

  it("locates an unknown table at the line that names it, however far into the script", () => {
    fc.assert(
      fc.property(fc.nat({ max: 30 }), fc.nat({ max: 5 }), (before, inBody) => {
        const text = [...Array.from({ length: before }, () => ""), ".create function F() {", ...Array.from({ length: inBody }, () => "  Raw | take 1;"), "  Missing | take 1", "}"].join("\n");
        const { errors } = checkKqlScripts({ tables: [{ name: "Raw", columns: [{ name: "a", type: "string" }] }] }, [{ file: "s.kql", text }]);
        expect(errors).toEqual([`s.kql:${before + inBody + 2}: table or function 'Missing' is not declared in the schema or created by an earlier script`]);
      }),
    );
  });
});
