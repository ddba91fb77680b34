import { openApiDocument } from "#lib/http/openapi";
import { contracts } from "./routes";

/** The API's OpenAPI document: served by GET /openapi.json, and the source of the web app's types. */
export const apiDocument = () => openApiDocument(contracts, { title: "Sharing-platform user management API", version: "1.0.0" });
