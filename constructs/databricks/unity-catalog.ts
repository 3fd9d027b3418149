// Unity Catalog objects of a Databricks workspace, made once per workspace and shared by its
// jobs: the Databricks provider for the workspace, the access connector as a storage credential
// (ADLS Gen2) and as a service credential (Event Hubs through its Kafka endpoint, Entra ID), and
// one external location per folder a job reads or writes, so grants name exactly that folder.
import { Construct } from "constructs";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { StorageCredential } from "@cdktf/provider-databricks/lib/storage-credential";
import { Credential } from "@cdktf/provider-databricks/lib/credential";
import { ExternalLocation } from "@cdktf/provider-databricks/lib/external-location";
import type { StorageAccountRef } from "../storage/storage-account";

/** The parts of a Databricks workspace construct Unity Catalog needs. */
export interface UnityCatalogWorkspace {
  readonly id: string;
  readonly name: string;
  readonly workspaceUrl: string;
  readonly accessConnectorId: string;
}

/** A folder of an ADLS Gen2 container: `abfss://<container>@<account>.dfs.core.windows.net/<path>/`. */
export interface LakeFolder {
  storageAccount: StorageAccountRef;
  container: string;
  /** Inside the container, without leading or trailing '/'; empty for the whole container. */
  path: string;
}

export const abfssUrl = (folder: LakeFolder): string =>
  `abfss://${folder.container}@${folder.storageAccount.name}.dfs.core.windows.net/${folder.path ? `${folder.path.replace(/^\/+|\/+$/g, "")}/` : ""}`;

/** Unity Catalog names: lower-case letters, digits and '_'. */
const ucName = (...parts: string[]) => parts.join("_").toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/_+/g, "_").replace(/^_|_$/g, "");

export class UnityCatalog extends Construct {
  /** The provider every Databricks resource of this workspace uses (alias: the workspace name). */
  readonly provider: DatabricksProvider;
  /** The access connector as the storage credential of the external locations. */
  readonly storageCredential: StorageCredential;
  private serviceCredentialResource?: Credential;
  private readonly locations = new Map<string, ExternalLocation>();

  constructor(scope: Construct, id: string, private readonly workspace: UnityCatalogWorkspace) {
    super(scope, id);
    // Authenticates like azurerm (Azure CLI, managed identity or OIDC in CI): no token in code.
    this.provider = new DatabricksProvider(this, "provider", {
      alias: workspace.name,
      host: `https://${workspace.workspaceUrl}`,
      azureWorkspaceResourceId: workspace.id,
    });
    this.storageCredential = new StorageCredential(this, "storage-credential", {
      provider: this.provider,
      name: ucName(workspace.name, "connector"),
      azureManagedIdentity: { accessConnectorId: workspace.accessConnectorId },
      comment: "streamkit: the workspace's access connector (managed identity, granted per container)",
    });
  }

  /** The access connector as a service credential: Kafka clients read Event Hubs with it (Entra ID, no secret). */
  get serviceCredential(): Credential {
    this.serviceCredentialResource ??= new Credential(this, "service-credential", {
      provider: this.provider,
      name: ucName(this.workspace.name, "connector", "service"),
      purpose: "SERVICE",
      azureManagedIdentity: { accessConnectorId: this.workspace.accessConnectorId },
      comment: "streamkit: the workspace's access connector for Azure services (granted per event hub)",
    });
    return this.serviceCredentialResource;
  }

  /** The external location of one folder, made once; overlapping folders are refused (Unity Catalog refuses them too). */
  externalLocation(folder: LakeFolder): ExternalLocation {
    const url = abfssUrl(folder);
    const existing = this.locations.get(url);
    if (existing) return existing;
    for (const other of this.locations.keys()) {
      if (other.startsWith(url) || url.startsWith(other)) {
        throw new Error(`Databricks workspace '${this.workspace.name}': external location ${url} overlaps ${other}: Unity Catalog refuses overlapping external locations; give each job its own folder`);
      }
    }
    const location = new ExternalLocation(this, `location-${ucName(folder.storageAccount.name, folder.container, folder.path)}`, {
      provider: this.provider,
      name: ucName(this.workspace.name, folder.storageAccount.name, folder.container, folder.path),
      url,
      credentialName: this.storageCredential.name,
      comment: "streamkit: one folder, granted to the jobs that use it",
    });
    this.locations.set(url, location);
    return location;
  }
}
