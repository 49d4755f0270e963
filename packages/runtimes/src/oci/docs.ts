/**
 * The Oracle Cloud Infrastructure DevOps pages each rule of the OCI model comes from. Every
 * module cites the page beside the rule it implements; `ociModel.sources` lists them all.
 */
export const DOCS = {
  buildSpec: "https://docs.oracle.com/iaas/Content/devops/using/build_specs.htm",
  commandSpec: "https://docs.oracle.com/en-us/iaas/Content/devops/using/command_spec.htm",
  buildPipelines: "https://docs.oracle.com/iaas/Content/devops/using/managing_build_pipelines.htm",
  parameters: "https://docs.oracle.com/iaas/Content/devops/using/configuring_parameters.htm",
  deliverStage: "https://docs.oracle.com/en-us/iaas/Content/devops/using/deliverartifact-stage.htm",
  addDeliverStage: "https://docs.oracle.com/en-us/iaas/Content/devops/using/add_deliverartifact.htm",
  triggerDeploy: "https://docs.oracle.com/en-us/iaas/Content/devops/using/triggerdeploy_stage.htm",
  shellStage: "https://docs.oracle.com/iaas/Content/devops/using/shell_stage.htm",
  approve: "https://docs.oracle.com/iaas/tools/oci-cli/latest/oci_cli_docs/cmdref/devops/deployment/approve.html",
  shellStageApi: "https://docs.oracle.com/en-us/iaas/tools/dotnet/latest/api/Oci.DevopsService.Models.CreateShellDeployStageDetails.html",
  triggerStageApi: "https://docs.oracle.com/en-us/iaas/tools/dotnet/latest/api/Oci.DevopsService.Models.CreateTriggerDeploymentStageDetails.html",
} as const;
