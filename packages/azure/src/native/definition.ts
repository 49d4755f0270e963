/**
 * The REST shapes written next to the YAML.
 * BuildDefinition: https://learn.microsoft.com/rest/api/azure/devops/build/definitions/create?view=azure-devops-rest-7.1
 * (oracle: azure-devops-rest/build-7.1.json#/definitions/BuildDefinition, process = YamlProcess).
 * Environment: https://learn.microsoft.com/rest/api/azure/devops/distributedtask/environments/add (EnvironmentCreateParameter).
 * CheckConfiguration: https://learn.microsoft.com/rest/api/azure/devops/approvalsandchecks/check-configurations/add
 */
export interface BuildDefinition {
  name: string;
  path: string;
  type: "build";
  quality: "definition";
  description?: string;
  process: { type: 2; yamlFilename: string };
  repository: { type: string; name: string; defaultBranch: string; url?: string; properties?: Record<string, string> };
  queue: { name: string };
  project?: { name: string };
  queueStatus: "enabled";
  tags: string[];
  triggers: Record<string, unknown>[];
}

export interface EnvironmentCreate {
  name: string;
  description: string;
}

/** The Approval check type (a fixed id in Azure DevOps). */
export const APPROVAL_CHECK_TYPE = { id: "8c6f20a7-a545-4486-9777-f762fafe0d4d", name: "Approval" } as const;

export interface CheckConfiguration {
  type: { id: string; name: string };
  settings: {
    approvers: { displayName: string; id: string }[];
    minRequiredApprovers: number;
    instructions?: string;
    requesterCannotBeApprover: boolean;
    executionOrder: "anyOrder";
    blockedApprovers: unknown[];
  };
  resource: { type: "environment"; id: string; name: string };
  timeout: number;
}
