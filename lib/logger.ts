import { Logger } from "@aws-lambda-powertools/logger";

// Keys whose values never reach a log line, whatever object they sit in.
const SECRET_KEYS =
  /^(password|newpassword|currentpassword|code|token|accesstoken|idtoken|refreshtoken|authorization|cookie|email|phone|login|destination|documentnumber|fullname|secret|keys?|pii|hmac|body)$/i;
// Values that look like PII or secrets even under an innocent key.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE = /\+\d{8,15}\b|\b1[3-9]\d{9}\b/g;
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;

export function redact(_key: string, value: unknown): unknown {
  if (_key && SECRET_KEYS.test(_key)) return "[REDACTED]";
  if (typeof value === "string") {
    return value.replace(JWT, "[REDACTED_TOKEN]").replace(EMAIL, "[REDACTED_EMAIL]").replace(PHONE, "[REDACTED_NUMBER]");
  }
  return value;
}

/** The one structured JSON logger. Redaction runs on every record, so callers cannot leak PII by accident. */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "sharing-users",
  jsonReplacerFn: redact,
});
