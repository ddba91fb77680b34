import type { AuthContext } from "#lib/auth/authenticate";
import { entitlementsOf } from "#lib/credit/entitlements";
import { type UserRecord, updateUser } from "#lib/data/user";
import { mfaView } from "#lib/mfa/view";
import { consentRequired } from "#lib/privacy/consent";
import { contactOf } from "#lib/notify/channels";

export interface ProfileChanges {
  displayName?: string;
  gender?: "FEMALE" | "MALE" | "OTHER" | "UNDISCLOSED";
  birthDate?: string;
  bio?: string;
  avatarUrl?: string;
}

/** GET /me: built from the user item the auth check already read, so it costs no further read. */
export async function meView(auth: Pick<AuthContext, "user" | "groups" | "permissions">) {
  return view(auth.user, auth.groups, auth.permissions);
}

async function view(user: UserRecord, groups: string[], permissions: string[]) {
  const contact = await contactOf(user); // the owner sees their own details unmasked
  return {
    userId: user.userId,
    username: user.username,
    displayName: user.displayName ?? user.username,
    email: contact.email ?? null,
    emailVerified: user.emailVerified ?? false,
    phone: contact.phone ?? null,
    phoneVerified: user.phoneVerified ?? false,
    status: user.status,
    level: user.level,
    groups,
    permissions,
    mfa: mfaView(user),
    // Credit tier effects (DEPOSIT_FREE, REWARDS_FROZEN...), next to the permissions other services read.
    ...entitlementsOf(user.creditTier),
    credit: { score: user.creditScore, tier: user.creditTier },
    points: user.points,
    identityStatus: user.identityStatus,
    profile: user.profile ?? {},
    consent: user.consent,
    consentRequired: consentRequired(user),
    createdAt: user.createdAt,
  };
}

export async function updateProfile(auth: Pick<AuthContext, "user" | "groups" | "permissions">, changes: ProfileChanges) {
  const { displayName, ...profileFields } = changes;
  const profile = { ...auth.user.profile, ...profileFields };
  const user = await updateUser(auth.user.userId, {
    ...(displayName !== undefined ? { displayName } : {}),
    ...(Object.keys(profileFields).length > 0 ? { profile } : {}),
  });
  return view(user, auth.groups, auth.permissions);
}
