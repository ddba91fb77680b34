import { createStore } from "../../store";

/** The login and masked destination of a registration waiting for its code: in memory, not in the URL. */
export const pendingVerification = createStore<{ login: string; destination: string } | null>(null);
