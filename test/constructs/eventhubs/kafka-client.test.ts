import { App, TerraformStack } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { addKafkaPropertiesOutput, toProperties } from "../../../constructs/eventhubs/kafka-client";
import { addAzureProvider } from "../../../constructs/core/azure-provider";
import { checkStacks, loadStacks } from "../../../lib/policy";
import { cleanupOutdirs, newStack, PLACEMENT } from "../harness";

const dirs: string[] = [];
afterAll(() => {
  cleanupOutdirs();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function namespace(stack = newStack()) {
  return new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-kafka", hubs: [{ name: "orders", consumerGroups: ["spark"] }] });
}

describe("Kafka client configuration", () => {
  it("uses the Kafka endpoint with Entra ID through a managed identity", () => {
    const config = namespace().kafkaClientConfig({ hub: "orders", consumerGroup: "spark", authentication: { kind: "managedIdentity" } });
    expect(config).toEqual({
      "bootstrap.servers": "evhns-skdev-kafka.servicebus.windows.net:9093",
      "security.protocol": "SASL_SSL",
      "sasl.mechanism": "OAUTHBEARER",
      "request.timeout.ms": "60000",
      "metadata.max.age.ms": "180000",
      "connections.max.idle.ms": "180000",
      topic: "orders",
      "group.id": "spark",
      "sasl.jaas.config": "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
      "sasl.login.callback.handler.class": "CustomAuthenticateCallbackHandler",
    });
  });

  it("reads a client secret from the environment at run time, never from the config", () => {
    const config = namespace().kafkaClientConfig({ hub: "orders", authentication: { kind: "clientCredentials", tenantId: "tenant-guid", clientId: "app-guid" } });
    expect(config["sasl.jaas.config"]).toBe(
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="app-guid" clientSecret="${env:KAFKA_CLIENT_SECRET}" scope="https://evhns-skdev-kafka.servicebus.windows.net/.default";',
    );
    expect(config["sasl.oauthbearer.token.endpoint.url"]).toBe("https://login.microsoftonline.com/tenant-guid/oauth2/v2.0/token");
    expect(config["config.providers.env.class"]).toBe("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    expect(config["group.id"]).toBeUndefined();
    expect(toProperties(config).split("\n")).toContain("security.protocol=SASL_SSL");
  });

  it("passes the no-secret policy when synthesized as an output", () => {
    const outdir = mkdtempSync(join(tmpdir(), "streamkit-kafka-"));
    dirs.push(outdir);
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "kafka");
    addAzureProvider(stack);
    const ns = namespace(stack);
    const config = ns.kafkaClientConfig({ hub: "orders", authentication: { kind: "clientCredentials", tenantId: "t", clientId: "c" } });
    addKafkaPropertiesOutput(stack, "kafka_properties", config);
    app.synth();
    const [synthesized] = loadStacks(outdir);
    // Kafka's ${env:...} is escaped for Terraform, which would otherwise parse it as an expression.
    expect(synthesized!.json.output?.kafka_properties?.value).toContain('clientSecret="$${env:KAFKA_CLIENT_SECRET}"');
    expect(checkStacks(loadStacks(outdir)).filter((f) => f.rule === "literal-secret")).toEqual([]);
  });

  it("refuses an unknown hub or consumer group, a Basic namespace and a bad variable name", () => {
    const ns = namespace();
    expect(() => ns.kafkaClientConfig({ hub: "nope", authentication: { kind: "managedIdentity" } })).toThrow(/no event hub 'nope'/);
    expect(() => ns.kafkaClientConfig({ hub: "orders", consumerGroup: "asa", authentication: { kind: "managedIdentity" } })).toThrow(/no consumer group 'asa' \(declared: spark\)/);
    expect(() => ns.kafkaClientConfig({ hub: "orders", authentication: { kind: "clientCredentials", tenantId: "t", clientId: "c", secretEnvironmentVariable: "my-secret" } })).toThrow(/not an environment variable name/);
    const basic = new EventHubsNamespace(newStack(), "b", { ...PLACEMENT, name: "evhns-skdev-basic", sku: "Basic", publicNetworkAccess: "enabled", hubs: [{ name: "h" }] });
    expect(() => basic.kafkaClientConfig({ hub: "h", authentication: { kind: "managedIdentity" } })).toThrow(/Kafka endpoint needs the Standard or Premium tier/);
  });
});
