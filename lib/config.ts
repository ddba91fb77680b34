import { z } from "zod";

// Every setting the functions read, parsed and checked once per cold start.
const schema = z.object({
  STAGE: z.string().min(1).default("local"),
  SERVICE_NAME: z.string().min(1).default("sharing-users"),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  TABLE_NAME: z.string().min(1),
  DOCUMENTS_BUCKET: z.string().default(""),
  USER_POOL_ID: z.string().default(""),
  USER_POOL_CLIENT_ID: z.string().default(""),
  BEHAVIOR_EVENTS_QUEUE_URL: z.string().default(""),
  INCIDENTS_QUEUE_URL: z.string().default(""),
  PRIVACY_POLICY_VERSION: z.string().min(1).default("2026-11"),
  MAIL_FROM: z.string().min(3).default("no-reply@example.com"),
  CORS_ORIGINS: z.string().default(""),
  DYNAMODB_ENDPOINT: z.string().default(""),
  COGNITO_ENDPOINT: z.string().default(""),
  SES_ENDPOINT: z.string().default(""),
  S3_ENDPOINT: z.string().default(""),
  SQS_ENDPOINT: z.string().default(""),
  LOCAL_KEYS: z.string().default(""),
  ENCRYPTED_KEYS: z.string().default(""),
  KMS_KEY_ID: z.string().default(""),
  LOCAL_SMS_FILE: z.string().default(""),
  LOGIN_MAX_FAILURES_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_IP: z.coerce.number().int().positive().default(50),
  LOGIN_LOCK_SECONDS: z.coerce.number().int().positive().default(900),
});

export interface Config {
  stage: string;
  service: string;
  region: string;
  isLocal: boolean;
  tableName: string;
  documentsBucket: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Expected `iss` of Cognito tokens: cognito-local's own host on the local stage. */
  cognitoIssuer: string;
  behaviorEventsQueueUrl: string;
  incidentsQueueUrl: string;
  privacyPolicyVersion: string;
  mailFrom: string;
  corsOrigins: string[];
  endpoints: { dynamodb?: string; cognito?: string; ses?: string; s3?: string; sqs?: string };
  localKeys: string;
  encryptedKeys: string;
  kmsKeyId: string;
  localSmsFile: string;
  loginThrottle: { maxFailuresPerAccount: number; maxFailuresPerIp: number; lockSeconds: number; windowSeconds: number };
  codes: { ttlSeconds: number; maxAttempts: number; resendCooldownSeconds: number };
}

const orUndefined = (value: string) => (value === "" ? undefined : value);

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const e = schema.parse(env);
  const cognitoEndpoint = orUndefined(e.COGNITO_ENDPOINT);
  return {
    stage: e.STAGE,
    service: e.SERVICE_NAME,
    region: e.AWS_REGION,
    isLocal: e.STAGE === "local",
    tableName: e.TABLE_NAME,
    documentsBucket: e.DOCUMENTS_BUCKET,
    userPoolId: e.USER_POOL_ID,
    userPoolClientId: e.USER_POOL_CLIENT_ID,
    cognitoIssuer: cognitoEndpoint
      ? `${cognitoEndpoint.replace(/\/$/, "")}/${e.USER_POOL_ID}`
      : `https://cognito-idp.${e.AWS_REGION}.amazonaws.com/${e.USER_POOL_ID}`,
    behaviorEventsQueueUrl: e.BEHAVIOR_EVENTS_QUEUE_URL,
    incidentsQueueUrl: e.INCIDENTS_QUEUE_URL,
    privacyPolicyVersion: e.PRIVACY_POLICY_VERSION,
    mailFrom: e.MAIL_FROM,
    corsOrigins: e.CORS_ORIGINS.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    endpoints: {
      dynamodb: orUndefined(e.DYNAMODB_ENDPOINT),
      cognito: cognitoEndpoint,
      ses: orUndefined(e.SES_ENDPOINT),
      s3: orUndefined(e.S3_ENDPOINT),
      sqs: orUndefined(e.SQS_ENDPOINT),
    },
    localKeys: e.LOCAL_KEYS,
    encryptedKeys: e.ENCRYPTED_KEYS,
    kmsKeyId: e.KMS_KEY_ID,
    localSmsFile: e.LOCAL_SMS_FILE,
    loginThrottle: {
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_ACCOUNT,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_IP,
      lockSeconds: e.LOGIN_LOCK_SECONDS,
      windowSeconds: 15 * 60,
    },
    codes: { ttlSeconds: 10 * 60, maxAttempts: 5, resendCooldownSeconds: 60 },
  };
}

let cached: Config | undefined;

/** The configuration of this process, read from the environment on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests that change the environment call this to re-read it. */
export function resetConfigForTests(): void {
  cached = undefined;
}
