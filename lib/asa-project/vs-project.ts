// Visual Studio ASA projects: `<name>.asaproj`, an MSBuild XML file that lists the query
// (`<Script Include="Script.asaql" />`) and the configuration files, each with its SubType
// (`<Configure Include="Inputs\Input.json"><SubType>Input</SubType></Configure>`).
// azure-streamanalytics-cicd builds these as it builds asaproj.json projects; so do we.
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { StreamkitError } from "../core/errors";
import type { ManifestEntry, ProjectManifest } from "./manifest";

interface XmlItem {
  "@_Include"?: string;
  SubType?: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // Every element that may repeat comes back as an array, however many there are.
  isArray: (name) => ["PropertyGroup", "ItemGroup", "Configure", "Script", "Content", "None"].includes(name),
  parseTagValue: false,
});

export function readVsProject(file: string): ProjectManifest {
  let text = readFileSync(file, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new StreamkitError(`not a valid Visual Studio project (XML): ${valid.err.msg}`, { file, line: valid.err.line, column: valid.err.col }, "ASA_PROJECT");
  }
  const project = (parser.parse(text) as { Project?: { PropertyGroup?: Record<string, unknown>[]; ItemGroup?: Record<string, XmlItem[]>[] } }).Project;
  if (!project) throw new StreamkitError("not a Visual Studio project: the root element is not <Project>", { file }, "ASA_PROJECT");

  const groups = project.ItemGroup ?? [];
  const scripts = groups.flatMap((g) => g.Script ?? []).filter((s) => extname(s["@_Include"] ?? "").toLowerCase() === ".asaql");
  if (scripts.length === 0) {
    throw new StreamkitError('the project names no query: add <Script Include="Script.asaql" /> to an <ItemGroup>', { file, jsonPath: "Project.ItemGroup.Script" }, "ASA_PROJECT");
  }
  const configurations: ManifestEntry[] = groups
    .flatMap((g) => g.Configure ?? [])
    .filter((c) => c["@_Include"])
    .map((c, i) => ({ path: c["@_Include"]!, subType: c.SubType, at: { file, jsonPath: `Project.ItemGroup.Configure[${i}].Include` } }));
  const named = (project.PropertyGroup ?? []).map((p) => p.Name).find((n): n is string => typeof n === "string" && n.trim() !== "");
  return {
    file,
    name: named ?? basename(file, extname(file)),
    startFile: { path: scripts[0]["@_Include"]!, at: { file, jsonPath: "Project.ItemGroup.Script.Include" } },
    configurations,
  };
}
