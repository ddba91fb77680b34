import { randomBytes } from "node:crypto";

// Unit tests run without the stack: a fixed local configuration and throwaway keys.
process.env.STAGE = "local";
process.env.TABLE_NAME = "unit-table";
process.env.USER_POOL_ID = "local_unit";
process.env.USER_POOL_CLIENT_ID = "unit-client";
process.env.COGNITO_ENDPOINT = "http://127.0.0.1:1";
process.env.DYNAMODB_ENDPOINT = "http://127.0.0.1:1";
process.env.AWS_REGION = "us-east-1";
process.env.LOCAL_KEYS = JSON.stringify({ pii: randomBytes(32).toString("base64"), hmac: randomBytes(32).toString("base64") });
process.env.CORS_ORIGINS = "https://app.example.com";
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
// The lean adapters sign with the environment's credentials, as Lambda provides them.
process.env.AWS_ACCESS_KEY_ID ??= "AKIDUNITTEST";
process.env.AWS_SECRET_ACCESS_KEY ??= "unit-secret";
