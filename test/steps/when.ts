import { type HttpOptions, http } from "#test/steps/http";
import { apiUrl } from "#test/steps/stack";

// The actions of a test: real HTTP calls to the API served by serverless-offline.
export const call = <T = any>(method: string, path: string, options: HttpOptions = {}) => http<T>(apiUrl(), method, path, options);

export const when = {
  register: (body: unknown, options: HttpOptions = {}) => call("POST", "/auth/register", { ...options, body }),
  verify: (login: string, code: string, options: HttpOptions = {}) => call("POST", "/auth/verify", { ...options, body: { login, code } }),
  resend: (login: string, options: HttpOptions = {}) => call("POST", "/auth/verify/resend", { ...options, body: { login } }),
  login: (login: string, password: string, options: HttpOptions = {}) =>
    call("POST", "/auth/login", { ...options, body: { login, password } }),
  loginMfa: (challengeId: string, code: string, options: HttpOptions = {}) => call("POST", "/auth/login/mfa", { ...options, body: { challengeId, code } }),
  refresh: (refreshToken: string, options: HttpOptions = {}) => call("POST", "/auth/refresh", { ...options, body: { refreshToken } }),
  logout: (token: string, allDevices?: boolean) =>
    call("POST", "/auth/logout", { token, body: allDevices === undefined ? {} : { allDevices } }),
  forgot: (login: string, options: HttpOptions = {}) => call("POST", "/auth/password/forgot", { ...options, body: { login } }),
  reset: (login: string, code: string, newPassword: string, options: HttpOptions = {}) =>
    call("POST", "/auth/password/reset", { ...options, body: { login, code, newPassword } }),
  getMe: (token: string) => call("GET", "/me", { token }),
  patchMe: (token: string, body: unknown) => call("PATCH", "/me", { token, body }),
  changePassword: (token: string, body: unknown, options: HttpOptions = {}) => call("POST", "/me/password", { ...options, token, body }),
  activity: (token: string, query = "") => call("GET", `/me/activity${query}`, { token }),
};
