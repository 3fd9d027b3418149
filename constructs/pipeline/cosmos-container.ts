// A Cosmos DB (NoSQL) container a job writes documents to (e.g. the latest state per device),
// secure by default: Entra ID only (no account keys for data access), TLS 1.2. The job writes
// with its managed identity through Cosmos DB's own data-plane RBAC.
import { Construct } from "constructs";
import { CosmosdbAccount } from "@cdktf/provider-azurerm/lib/cosmosdb-account";
import { CosmosdbSqlDatabase } from "@cdktf/provider-azurerm/lib/cosmosdb-sql-database";
import { CosmosdbSqlContainer } from "@cdktf/provider-azurerm/lib/cosmosdb-sql-container";
import { withDefaultTags, type Placement } from "../core/shapes";

export interface CosmosContainerProps extends Placement {
  /** The account: 3-44 lowercase letters, digits and hyphens, globally unique. */
  accountName: string;
  databaseName: string;
  containerName: string;
  /** e.g. `/deviceId`: the job's rows should carry this field. */
  partitionKeyPath: string;
  zoneRedundant?: boolean;
  tags?: Record<string, string>;
}

export class CosmosContainer extends Construct {
  readonly account: CosmosdbAccount;
  readonly database: CosmosdbSqlDatabase;
  readonly container: CosmosdbSqlContainer;

  constructor(scope: Construct, id: string, props: CosmosContainerProps) {
    super(scope, id);
    this.account = new CosmosdbAccount(this, "account", {
      name: props.accountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      offerType: "Standard",
      kind: "GlobalDocumentDB",
      consistencyPolicy: { consistencyLevel: "Session" },
      geoLocation: [{ location: props.location, failoverPriority: 0, zoneRedundant: props.zoneRedundant ?? false }],
      localAuthenticationDisabled: true,
      minimalTlsVersion: "Tls12",
      tags: withDefaultTags(props.tags),
    });
    this.database = new CosmosdbSqlDatabase(this, "database", {
      name: props.databaseName,
      accountName: this.account.name,
      resourceGroupName: props.resourceGroupName,
    });
    this.container = new CosmosdbSqlContainer(this, "container", {
      name: props.containerName,
      accountName: this.account.name,
      databaseName: this.database.name,
      resourceGroupName: props.resourceGroupName,
      partitionKeyPaths: [props.partitionKeyPath],
    });
  }
}
