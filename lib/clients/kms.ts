import { KMSClient } from "@aws-sdk/client-kms";
import { clientOptions } from "#lib/clients/aws";

export const kms = new KMSClient(clientOptions(undefined));
