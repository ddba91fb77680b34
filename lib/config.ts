import * as z from "zod/mini";

// Every setting the functions read, parsed and checked once per cold start.
const schema = z.object({
  STAGE: z._default(z.string().check(z.minLength(1)), "local"),
  SERVICE_NAME: z._default(z.string().check(z.minLength(1)), "sharing-users"),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), "us-east-1"),
  TABLE_NAME: z.string().check(z.minLength(1)),
  DOCUMENTS_BUCKET: z._default(z.string(), ""),
  USER_POOL_ID: z._default(z.string(), ""),
  USER_POOL_CLIENT_ID: z._default(z.string(), ""),
  BEHAVIOR_EVENTS_QUEUE_URL: z._default(z.string(), ""),
  BEHAVIOR_EVENTS_DLQ_URL: z._default(z.string(), ""),
  RECOMPUTE_QUEUE_URL: z._default(z.string(), ""),
  INCIDENTS_QUEUE_URL: z._default(z.string(), ""),
  INCIDENTS_DLQ_URL: z._default(z.string(), ""),
  PRIVACY_POLICY_VERSION: z._default(z.string().check(z.minLength(1)), "2026-11"),
  MAIL_FROM: z._default(z.string().check(z.minLength(3)), "no-reply@example.com"),
  CORS_ORIGINS: z._default(z.string(), ""),
  DYNAMODB_ENDPOINT: z._default(z.string(), ""),
  COGNITO_ENDPOINT: z._default(z.string(), ""),
  SES_ENDPOINT: z._default(z.string(), ""),
  S3_ENDPOINT: z._default(z.string(), ""),
  SQS_ENDPOINT: z._default(z.string(), ""),
  SNS_ENDPOINT: z._default(z.string(), ""),
  LOCAL_KEYS: z._default(z.string(), ""),
  DATA_KEYS_PARAMETER: z._default(z.string(), ""),
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: z._default(z.coerce.number().check(z.int(), z.positive()), 2773),
  LOCAL_SMS_FILE: z._default(z.string(), ""),
  LOGIN_MAX_FAILURES_ACCOUNT: z._default(z.coerce.number().check(z.int(), z.positive()), 5),
  LOGIN_MAX_FAILURES_IP: z._default(z.coerce.number().check(z.int(), z.positive()), 50),
  LOGIN_LOCK_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 900),
  AWS_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive()), 1500),
  AWS_CONNECT_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive()), 1000),
  AWS_MAX_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.positive()), 2),
  API_THROTTLE_RATE: z._default(z.coerce.number().check(z.int(), z.positive()), 50),
  API_THROTTLE_BURST: z._default(z.coerce.number().check(z.int(), z.positive()), 100),
  RATE_LIMIT_WINDOW_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 600),
  RATE_LIMIT_REGISTER_PER_IP: z._default(z.coerce.number().check(z.int(), z.positive()), 5),
  RATE_LIMIT_CODE_REQUESTS_PER_IP: z._default(z.coerce.number().check(z.int(), z.positive()), 10),
  RATE_LIMIT_CODE_CHECKS_PER_IP: z._default(z.coerce.number().check(z.int(), z.positive()), 30),
  PENDING_ACCOUNT_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 24 * 3600),
  PENDING_REPLACE_AFTER_SECONDS: z._default(z.coerce.number().check(z.int(), z.nonnegative()), 60),
  NIGHTLY_LEASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 60),
  REWARDS_DAILY_CAP: z._default(z.coerce.number().check(z.int(), z.nonnegative()), 100),
  REWARDS_MONTHLY_CAP: z._default(z.coerce.number().check(z.int(), z.nonnegative()), 1000),
  REWARDS_GRANT_APPROVAL_THRESHOLD: z._default(z.coerce.number().check(z.int(), z.nonnegative()), 500),
  MFA_REQUIRED_FOR_STAFF: z._default(z.enum(["true", "false"]), "true"),
  OUTBOX_SEND_RATE: z._default(z.coerce.number().check(z.positive()), 7),
  OUTBOX_LANES: z._default(z.coerce.number().check(z.int(), z.positive()), 4),
  OUTBOX_MAX_BACKOFF_MS: z._default(z.coerce.number().check(z.int(), z.nonnegative()), 20_000),
  COMPLAINT_FIRST_RESPONSE_HOURS: z._default(z.coerce.number().check(z.positive()), 24),
  COMPLAINT_RESOLUTION_DAYS: z._default(z.coerce.number().check(z.positive()), 7),
  COMPLAINT_CLOSE_AFTER_DAYS: z._default(z.coerce.number().check(z.positive()), 7),
  COMPLAINTS_PER_DAY: z._default(z.coerce.number().check(z.int(), z.positive()), 5),
  COMPLAINTS_PER_DAY_POOR: z._default(z.coerce.number().check(z.int(), z.positive()), 2),
  FEEDBACK_PER_DAY: z._default(z.coerce.number().check(z.int(), z.positive()), 20),
  INCIDENT_NOTICE_RATE: z._default(z.coerce.number().check(z.positive()), 5),
  INCIDENT_MAX_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.positive()), 4),
  INCIDENT_RETRY_BASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 30),
  INCIDENT_LEASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 60),
  INCIDENT_SLICE_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 20),
  INCIDENT_CONFIRM_DELAY_SECONDS: z._default(z.coerce.number().check(z.int(), z.nonnegative()), 60),
  INCIDENT_THROTTLE_MINUTES: z._default(z.coerce.number().check(z.int(), z.positive()), 60),
  INCIDENT_MAX_FAILURES_ACCOUNT: z._default(z.coerce.number().check(z.int(), z.positive()), 3),
  INCIDENT_MAX_FAILURES_IP: z._default(z.coerce.number().check(z.int(), z.positive()), 10),
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
  behaviorEventsDlqUrl: string;
  recomputeQueueUrl: string;
  incidentsQueueUrl: string;
  incidentsDlqUrl: string;
  privacyPolicyVersion: string;
  mailFrom: string;
  corsOrigins: string[];
  endpoints: { dynamodb?: string; cognito?: string; ses?: string; s3?: string; sqs?: string; sns?: string };
  localKeys: string;
  /** SSM SecureString parameter holding the data keys (AWS stages). */
  dataKeysParameter: string;
  secretsExtensionPort: number;
  localSmsFile: string;
  loginThrottle: { maxFailuresPerAccount: number; maxFailuresPerIp: number; lockSeconds: number; windowSeconds: number };
  codes: { ttlSeconds: number; maxAttempts: number; resendCooldownSeconds: number };
  /** Longest wait for one try of a call to an AWS service (the answer; connecting: awsConnectTimeoutMs). */
  awsTimeoutMs: number;
  awsConnectTimeoutMs: number;
  /** Tries per call (the SDK's standard retry, with jitter); the lean adapters retry idempotent calls the same. */
  awsMaxAttempts: number;
  /**
   * The sender's pace: sends per second per instance, parallel sends, longest wait before a failed
   * record is retried. SES's quota must cover sendRatePerSecond × the sender's reserved concurrency.
   */
  outbox: { sendRatePerSecond: number; lanes: number; maxBackoffMs: number };
  /**
   * Complaint service levels (first staff response, resolution, automatic close after RESOLVED)
   * and per-user daily limits: complaints (lower under POOR credit) and feedback.
   */
  complaints: { firstResponseHours: number; resolutionDays: number; closeAfterDays: number; perDay: number; perDayPoor: number; feedbackPerDay: number };
  /**
   * Incident runbooks (lib/incidents/): breach notices queued per second per consumer instance
   * (their sum must stay under what the outbox sender sends), tries of a failing step before the
   * incident FAILS and the first backoff (doubling), the lease on an incident, how long one
   * invocation works before handing over to a continuation message, how often delivery evidence
   * is collected, and a credential-stuffing response's default period and tightened limits.
   */
  incidents: {
    noticeRatePerSecond: number;
    maxAttempts: number;
    retryBaseSeconds: number;
    leaseSeconds: number;
    sliceSeconds: number;
    confirmDelaySeconds: number;
    throttle: { minutes: number; maxFailuresPerAccount: number; maxFailuresPerIp: number };
  };
  /** The nightly job's lease: a run that died is taken over this long after its last renewal. */
  nightlyLeaseSeconds: number;
  /**
   * API Gateway's throttling of every route (serverless.yml, the stage's default route settings):
   * a token bucket per route, shared by all callers. Read here only to describe it (RateLimit-Policy).
   */
  apiThrottle: { ratePerSecond: number; burst: number };
  /** Requests per client IP and window on the routes a stranger can call in bulk (lib/limits/per-ip.ts). */
  rateLimits: { windowSeconds: number; perIp: { REGISTER: number; CODE_REQUEST: number; CODE_CHECK: number } };
  /** An account not verified within this time is gone (its username, e-mail and phone are free again). */
  pendingAccountSeconds: number;
  /**
   * A pending account at least this old gives way to a new registration of its e-mail or phone
   * (younger: 409, so of N parallel registrations exactly one succeeds).
   */
  pendingReplaceAfterSeconds: number;
  /**
   * Rewards: the most points automatic earning pays a user per UTC day and month, and the size of a
   * staff grant (points, either sign) above which a second staff member must approve it.
   */
  rewards: { caps: { perDay: number; perMonth: number }; approvalThreshold: number };
  /** Staff routes refuse staff without active two-factor sign-in (403 MFA_REQUIRED). */
  mfaRequiredForStaff: boolean;
  mfa: { challengeSeconds: number; challengeMaxAttempts: number };
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
    behaviorEventsDlqUrl: e.BEHAVIOR_EVENTS_DLQ_URL,
    recomputeQueueUrl: e.RECOMPUTE_QUEUE_URL,
    incidentsQueueUrl: e.INCIDENTS_QUEUE_URL,
    incidentsDlqUrl: e.INCIDENTS_DLQ_URL,
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
      sns: orUndefined(e.SNS_ENDPOINT),
    },
    localKeys: e.LOCAL_KEYS,
    dataKeysParameter: e.DATA_KEYS_PARAMETER,
    secretsExtensionPort: e.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
    localSmsFile: e.LOCAL_SMS_FILE,
    loginThrottle: {
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_ACCOUNT,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_IP,
      lockSeconds: e.LOGIN_LOCK_SECONDS,
      windowSeconds: 15 * 60,
    },
    codes: { ttlSeconds: 10 * 60, maxAttempts: 5, resendCooldownSeconds: 60 },
    awsTimeoutMs: e.AWS_TIMEOUT_MS,
    awsConnectTimeoutMs: e.AWS_CONNECT_TIMEOUT_MS,
    awsMaxAttempts: e.AWS_MAX_ATTEMPTS,
    nightlyLeaseSeconds: e.NIGHTLY_LEASE_SECONDS,
    apiThrottle: { ratePerSecond: e.API_THROTTLE_RATE, burst: e.API_THROTTLE_BURST },
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      perIp: { REGISTER: e.RATE_LIMIT_REGISTER_PER_IP, CODE_REQUEST: e.RATE_LIMIT_CODE_REQUESTS_PER_IP, CODE_CHECK: e.RATE_LIMIT_CODE_CHECKS_PER_IP },
    },
    pendingAccountSeconds: e.PENDING_ACCOUNT_SECONDS,
    pendingReplaceAfterSeconds: e.PENDING_REPLACE_AFTER_SECONDS,
    rewards: { caps: { perDay: e.REWARDS_DAILY_CAP, perMonth: e.REWARDS_MONTHLY_CAP }, approvalThreshold: e.REWARDS_GRANT_APPROVAL_THRESHOLD },
    mfaRequiredForStaff: e.MFA_REQUIRED_FOR_STAFF === "true",
    mfa: { challengeSeconds: 300, challengeMaxAttempts: 5 },
    outbox: { sendRatePerSecond: e.OUTBOX_SEND_RATE, lanes: e.OUTBOX_LANES, maxBackoffMs: e.OUTBOX_MAX_BACKOFF_MS },
    complaints: {
      firstResponseHours: e.COMPLAINT_FIRST_RESPONSE_HOURS,
      resolutionDays: e.COMPLAINT_RESOLUTION_DAYS,
      closeAfterDays: e.COMPLAINT_CLOSE_AFTER_DAYS,
      perDay: e.COMPLAINTS_PER_DAY,
      perDayPoor: e.COMPLAINTS_PER_DAY_POOR,
      feedbackPerDay: e.FEEDBACK_PER_DAY,
    },
    incidents: {
      noticeRatePerSecond: e.INCIDENT_NOTICE_RATE,
      maxAttempts: e.INCIDENT_MAX_ATTEMPTS,
      retryBaseSeconds: e.INCIDENT_RETRY_BASE_SECONDS,
      leaseSeconds: e.INCIDENT_LEASE_SECONDS,
      sliceSeconds: e.INCIDENT_SLICE_SECONDS,
      confirmDelaySeconds: e.INCIDENT_CONFIRM_DELAY_SECONDS,
      throttle: { minutes: e.INCIDENT_THROTTLE_MINUTES, maxFailuresPerAccount: e.INCIDENT_MAX_FAILURES_ACCOUNT, maxFailuresPerIp: e.INCIDENT_MAX_FAILURES_IP },
    },
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
