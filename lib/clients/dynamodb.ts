import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { clientOptions } from "#lib/clients/aws";
import { config } from "#lib/config";

// Module scope: created once per cold start and reused by every invocation.
export const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions(config().endpoints.dynamodb)), {
  marshallOptions: { removeUndefinedValues: true },
});

export const tableName = () => config().tableName;
