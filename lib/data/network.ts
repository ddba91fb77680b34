import { userPk } from "#lib/data/keys";

// Networks a user signed in from (a keyed hash of the /24 or /48 prefix): a sign-in from a network
// not seen before is news to the owner even with a known browser (an attacker can copy a
// User-Agent, not a network).

export const ENTITY = "NETWORK";

export interface NetworkRecord {
  firstSeenAt: string;
  lastSeenAt: string;
}

export const networkKey = (userId: string, networkHash: string) => ({ PK: userPk(userId), SK: `NETWORK#${networkHash}` });

export const toNetworkItem = (userId: string, networkHash: string, network: NetworkRecord) => ({
  ...networkKey(userId, networkHash),
  entity: ENTITY,
  ...network,
});

export const fromNetworkItem = (item: Record<string, unknown> | undefined): NetworkRecord | undefined =>
  item?.entity === ENTITY ? (item as unknown as NetworkRecord) : undefined;
