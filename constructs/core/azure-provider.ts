import { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";

export interface AzureProviderProps {
  subscriptionId?: string;
  /** Use Entra ID for storage data-plane calls: works with shared keys turned off. */
  storageUseAzureAd?: boolean;
}

/** The azurerm provider with the `features {}` block Terraform requires. */
export function addAzureProvider(scope: Construct, props: AzureProviderProps = {}): AzurermProvider {
  return new AzurermProvider(scope, "azurerm", {
    features: [{}],
    subscriptionId: props.subscriptionId,
    storageUseAzuread: props.storageUseAzureAd ?? true,
  });
}
