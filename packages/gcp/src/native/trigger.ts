/**
 * The REST `BuildTrigger` resource (camelCase JSON), as a typed model.
 * https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.triggers#BuildTrigger
 * Note: `approvalConfig` is part of the REST resource but not of the protos shipped in
 * @google-cloud/cloudbuild (PROVIDERS.md §3.3); the live client must PATCH it through REST.
 */
import type { Build } from "./build.js";

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.triggers#pushfilter */
export interface PushFilter {
  branch?: string;
  tag?: string;
  invertRegex?: boolean;
}

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.triggers#pullrequestfilter */
export interface PullRequestFilter {
  branch?: string;
  commentControl?: "COMMENTS_DISABLED" | "COMMENTS_ENABLED" | "COMMENTS_ENABLED_FOR_EXTERNAL_CONTRIBUTORS_ONLY";
  invertRegex?: boolean;
}

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.triggers#githubeventsconfig */
interface GitHubEventsConfig {
  owner?: string;
  name?: string;
  push?: PushFilter;
  pullRequest?: PullRequestFilter;
}

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.triggers#repositoryeventconfig */
interface RepositoryEventConfig {
  repository?: string;
  push?: PushFilter;
  pullRequest?: PullRequestFilter;
}

/** https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.triggers#gitreposource */
export interface GitRepoSource {
  uri?: string;
  ref?: string;
  repoType?: "UNKNOWN" | "CLOUD_SOURCE_REPOSITORIES" | "GITHUB" | "BITBUCKET_SERVER" | "GITLAB" | "BITBUCKET_CLOUD";
  repository?: string;
}

export interface BuildTrigger {
  name: string;
  description?: string;
  tags?: string[];
  disabled?: boolean;
  github?: GitHubEventsConfig;
  repositoryEventConfig?: RepositoryEventConfig;
  sourceToBuild?: GitRepoSource;
  approvalConfig?: { approvalRequired?: boolean };
  includedFiles?: string[];
  ignoredFiles?: string[];
  substitutions?: Record<string, string>;
  serviceAccount?: string;
  build?: Build;
  filename?: string;
  [extra: string]: unknown;
}
