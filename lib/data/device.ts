import { userPk } from "#lib/data/keys";

// Devices a user signed in from, keyed by a keyed hash of the user agent: a login from one not
// seen before is mailed to the owner.

export const ENTITY = "DEVICE";

export interface DeviceRecord {
  userAgent: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

export const deviceKey = (userId: string, deviceHash: string) => ({ PK: userPk(userId), SK: `DEVICE#${deviceHash}` });

export const toDeviceItem = (userId: string, deviceHash: string, device: DeviceRecord) => ({
  ...deviceKey(userId, deviceHash),
  entity: ENTITY,
  ...device,
});

export const fromDeviceItem = (item: Record<string, unknown> | undefined): DeviceRecord | undefined =>
  item?.entity === ENTITY ? (item as unknown as DeviceRecord) : undefined;
