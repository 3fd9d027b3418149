// Property: whatever mix of Event Hubs and storage inputs/outputs a job has, its identity gets
// exactly one role per endpoint, the right one for the direction, at the hub or container —
// never at a namespace, account or resource group.
import fc from "fast-check";
import { Testing } from "cdktf";
import { StreamAnalyticsJob } from "../../../constructs/job";
import { PLACEMENT, Scratch, resourcesOfType, servicesStack } from "./fixtures";

type Endpoint = { direction: "input" | "output"; service: "hub-telemetry" | "hub-alerts" | "container-archive" | "container-reference"; reference: boolean };

const endpoint = fc.record({
  direction: fc.constantFrom("input" as const, "output" as const),
  service: fc.constantFrom("hub-telemetry" as const, "hub-alerts" as const, "container-archive" as const, "container-reference" as const),
  reference: fc.boolean(),
});

const EXPECTED_ROLE = {
  "input:hub": "Azure Event Hubs Data Receiver",
  "output:hub": "Azure Event Hubs Data Sender",
  "input:container": "Storage Blob Data Reader",
  "output:container": "Storage Blob Data Contributor",
} as const;

describe("the job's role assignments", () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());
  const projectDir = scratch.project("SELECT * INTO out0 FROM in0\n");

  it("one narrowest-scope grant per endpoint, with the role its direction needs", () => {
    fc.assert(
      fc.property(fc.array(endpoint, { minLength: 1, maxLength: 6 }), (endpoints: Endpoint[]) => {
        const services = servicesStack(scratch.app());
        const job = new StreamAnalyticsJob(services.stack, "job", { ...PLACEMENT, name: "asa-prop", projectDir, queryFile: "queries/job/query.asaql", alerts: false });
        endpoints.forEach((e, i) => {
          const [kind, name] = e.service.split("-") as ["hub" | "container", string];
          const target = kind === "hub" ? services.namespace.hubs[name]! : services.storage;
          const options = kind === "container" ? { container: name, reference: e.direction === "input" && e.reference } : {};
          if (e.direction === "input") job.addInput(`in${i}`, target, options);
          else job.addOutput(`out${i}`, target, options);
        });

        expect(job.grants).toHaveLength(endpoints.length);
        const synthesized = Object.values(resourcesOfType(Testing.synth(services.stack), "azurerm_role_assignment"));
        expect(synthesized).toHaveLength(endpoints.length);
        job.grants.forEach((grant, i) => {
          const e = endpoints[i]!;
          const [kind, name] = e.service.split("-") as ["hub" | "container", string];
          expect(grant.role).toBe(EXPECTED_ROLE[`${e.direction}:${kind}`]);
          expect(grant.scopeKind).toBe(kind === "hub" ? "eventhub" : "container");
          const assignment = synthesized.find((a) => a.description === `Stream Analytics job ${e.direction} '${grant.alias}'`)!;
          expect(assignment.role_definition_name).toBe(grant.role);
          if (kind === "hub") expect(assignment.scope).toMatch(/^\$\{azurerm_eventhub\.[^.}]+\.id\}$/);
          else expect(assignment.scope).toMatch(new RegExp(`^\\$\\{azurerm_storage_account\\.[^.}]+\\.id\\}/blobServices/default/containers/${name}$`));
          expect(assignment.principal_id).toMatch(/^\$\{azurerm_stream_analytics_job\.[^}]+\.identity\[0\]\.principal_id\}$/);
        });
      }),
      { numRuns: 25 },
    );
  });
});
