import { SESv2Client } from "@aws-sdk/client-sesv2";
import { clientOptions } from "#lib/clients/aws";
import { config } from "#lib/config";

export const ses = new SESv2Client(clientOptions(config().endpoints.ses));
