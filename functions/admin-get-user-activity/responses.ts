import { defineContract } from "#lib/http/contract/define";
import { bool, object, oneOf, optional, page, text, timestamp } from "#lib/http/contract/fields";
import { BROWSERS, OPERATING_SYSTEMS } from "#lib/identity/user-agent";
import { route } from "./route";

export const contract = defineContract(route, {
  200: page(
    object({
      at: timestamp,
      type: oneOf(["LOGIN"]),
      /** The network, masked: `203.0.113.x`, `2001:db8:85a3::/48` or `unknown`. */
      network: text(64),
      browser: oneOf(BROWSERS),
      os: oneOf(OPERATING_SYSTEMS),
      newDevice: bool,
      /** In full, to holders of data:pii:read only (an audited read). */
      ip: optional(text(45)),
      userAgent: optional(text(512)),
    }),
  ),
});
