/**
 * Azure DevOps error bodies: `{"$id":"1","innerException":null,"message":...,"typeName":...,"typeKey":...,"errorCode":0,"eventId":3000}`.
 * `azure-devops-node-api` (typed-rest-client 3.1.2) turns a non-2xx answer into an `Error` with
 * `statusCode`, `result` (this body) and `responseHeaders` — except 404, which resolves with a
 * null result for JSON calls.
 */
import type { JsonObject } from "../core/json.js";

const NAMESPACES: Record<string, string> = {
  Build: "Microsoft.TeamFoundation.Build.WebApi",
  Git: "Microsoft.TeamFoundation.Git.Server",
  DistributedTask: "Microsoft.TeamFoundation.DistributedTask.WebApi",
  Core: "Microsoft.VisualStudio.Services.WebApi",
};

export class AzureError extends Error {
  constructor(
    readonly status: number,
    readonly typeKey: string,
    message: string,
    readonly area: keyof typeof NAMESPACES = "Core",
  ) {
    super(message);
  }

  body(): JsonObject {
    const ns = NAMESPACES[this.area];
    return {
      $id: "1",
      innerException: null,
      message: this.message,
      typeName: `${ns}.${this.typeKey}, ${ns}`,
      typeKey: this.typeKey,
      errorCode: 0,
      eventId: 3000,
    };
  }
}

export const notFound = (typeKey: string, message: string, area: keyof typeof NAMESPACES = "Core") => new AzureError(404, typeKey, message, area);
export const badRequest = (message: string, typeKey = "ArgumentException", area: keyof typeof NAMESPACES = "Core") =>
  new AzureError(400, typeKey, message, area);
