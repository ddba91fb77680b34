import { inject } from "vitest";

/** The local stack that test/setup/global-setup.ts started for this run. */
export const stack = () => inject("stack");
export const apiUrl = () => stack().urls.api;
