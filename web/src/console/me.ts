import { api } from "../api/client";
import { asProblem } from "../api/problem";
import { setAccess, type Session } from "../session";
import { createStore, useStore } from "../store";
import { followProblem } from "./shared";

// Who the staff member is, asked of the API (GET /me) when the console opens: their user id (the
// four-eyes rules compare it with a proposer or requester), whether two-factor sign-in is on, and
// the groups and permissions as they are now (a group change acts on the next request).

export interface Me {
  userId: string;
  mfaEnabled: boolean;
}

const me = createStore<Me | null>(null);
/** Set when GET /me could not be read (the console offers to try again). */
const failed = createStore(false);
let loadedFor: string | undefined;

/** Asks GET /me once per signed-in user; staff without 2FA go to enrolment (app.tsx). */
export async function loadMe(session: Session): Promise<void> {
  if (loadedFor === session.username && me.get()) return;
  loadedFor = session.username;
  failed.set(false);
  try {
    const { data, error, response } = await api.GET("/me");
    if (data) {
      setAccess(data.groups, data.permissions);
      me.set({ userId: data.userId, mfaEnabled: data.mfa.enabled });
      return;
    }
    followProblem(asProblem(error, response.status));
  } catch {
    // offline or the API unreachable: below
  }
  loadedFor = undefined;
  failed.set(true);
}

export const useMe = () => useStore(me);
export const useMeFailed = () => useStore(failed);
