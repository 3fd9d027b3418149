// The configuration a Kafka client needs to use an Event Hubs namespace's Kafka endpoint
// (topic = event hub, group.id = consumer group), authenticating with Microsoft Entra ID
// (SASL OAUTHBEARER). No secret is ever part of it: managed identities need none, and the
// client-credentials flow reads its secret from the client's environment at run time through
// Kafka's EnvVarConfigProvider (Kafka 3.5+), so the properties can be committed and synthesized.
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { EventHubRef } from "./event-hub";

export type KafkaAuthentication =
  /** Azure's callback handler (azure-event-hubs-for-kafka samples) takes a token from the managed identity. */
  | { kind: "managedIdentity"; callbackHandlerClass?: string }
  /** Kafka 3.1+ built-in OIDC client-credentials flow; the secret comes from an environment variable. */
  | { kind: "clientCredentials"; tenantId: string; clientId: string; secretEnvironmentVariable?: string };

export interface KafkaClientOptions {
  hub: EventHubRef;
  /** For consumers: the hub's consumer group (`group.id`). */
  consumerGroup?: string;
  authentication: KafkaAuthentication;
}

/** `<namespace>.servicebus.windows.net`. */
const host = (namespaceName: string) => `${namespaceName}.servicebus.windows.net`;

export function kafkaClientConfig(bootstrapServers: string, options: KafkaClientOptions): Record<string, string> {
  const { hub, authentication } = options;
  const scope = `https://${host(hub.namespaceName)}/.default`;
  const config: Record<string, string> = {
    "bootstrap.servers": bootstrapServers,
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "OAUTHBEARER",
    // Event Hubs closes idle connections after 240 s; these keep clients ahead of it.
    "request.timeout.ms": "60000",
    "metadata.max.age.ms": "180000",
    "connections.max.idle.ms": "180000",
    topic: hub.name,
  };
  if (options.consumerGroup) config["group.id"] = options.consumerGroup;
  if (authentication.kind === "managedIdentity") {
    config["sasl.jaas.config"] = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;";
    config["sasl.login.callback.handler.class"] = authentication.callbackHandlerClass ?? "CustomAuthenticateCallbackHandler";
  } else {
    const variable = authentication.secretEnvironmentVariable ?? "KAFKA_CLIENT_SECRET";
    if (!/^[A-Z_][A-Z0-9_]*$/.test(variable)) throw new Error(`secretEnvironmentVariable '${variable}' is not an environment variable name (A-Z, 0-9, _)`);
    config["config.providers"] = "env";
    config["config.providers.env.class"] = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";
    config["sasl.login.callback.handler.class"] = "org.apache.kafka.common.security.oauthbearer.secured.OAuthBearerLoginCallbackHandler";
    config["sasl.oauthbearer.token.endpoint.url"] = `https://login.microsoftonline.com/${authentication.tenantId}/oauth2/v2.0/token`;
    config["sasl.jaas.config"] =
      `org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="${authentication.clientId}" clientSecret="\${env:${variable}}" scope="${scope}";`;
  }
  return config;
}

/** The config as a Java `.properties` file (the `topic` entry is for the application, not the client). */
export function toProperties(config: Record<string, string>): string {
  return Object.entries(config)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n")
    .concat("\n");
}

/**
 * Publishes the properties as a Terraform output. `${env:...}` is Kafka's syntax, not
 * Terraform's: it is escaped as `$${` so Terraform keeps it literally.
 */
export function addKafkaPropertiesOutput(scope: Construct, id: string, config: Record<string, string>): TerraformOutput {
  return new TerraformOutput(scope, id, {
    value: toProperties(config).replace(/\$\{/g, () => "$${"),
    description: "Kafka client properties (Entra ID authentication; no secret inside)",
  });
}
