import { cognito } from "./cognito";
import { dynamodb } from "./dynamodb";
import type { Emulator } from "./emulator";
import { s3 } from "./s3";
import { ses } from "./ses";
import { sms } from "./sms";
import { sqs } from "./sqs";

export type { Emulator, EmulatorContext, EmulatorName } from "./emulator";
export { JAVA_MISSING } from "./dynamodb";

/** The emulators of the local stack, each a small definition the supervisor runs. */
export const EMULATORS: readonly Emulator[] = [dynamodb, cognito, ses, s3, sqs, sms];
