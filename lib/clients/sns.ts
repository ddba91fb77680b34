import { SNSClient } from "@aws-sdk/client-sns";
import { clientOptions } from "#lib/clients/aws";

export const sns = new SNSClient(clientOptions(undefined));
