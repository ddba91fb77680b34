import { type HttpOptions, http } from "#test/steps/http";
import { apiUrl } from "#test/steps/stack";

// The actions of a test: real HTTP calls to the API served by serverless-offline.
export const call = <T = any>(method: string, path: string, options: HttpOptions = {}) => http<T>(apiUrl(), method, path, options);

export const when = {
  register: (body: unknown, options: HttpOptions = {}) => call("POST", "/auth/register", { ...options, body }),
  verify: (login: string, code: string) => call("POST", "/auth/verify", { body: { login, code } }),
  resend: (login: string) => call("POST", "/auth/verify/resend", { body: { login } }),
  login: (login: string, password: string, options: HttpOptions = {}) =>
    call("POST", "/auth/login", { ...options, body: { login, password } }),
  refresh: (refreshToken: string) => call("POST", "/auth/refresh", { body: { refreshToken } }),
  logout: (token: string, allDevices?: boolean) =>
    call("POST", "/auth/logout", { token, body: allDevices === undefined ? {} : { allDevices } }),
  forgot: (login: string) => call("POST", "/auth/password/forgot", { body: { login } }),
  reset: (login: string, code: string, newPassword: string) => call("POST", "/auth/password/reset", { body: { login, code, newPassword } }),
  getMe: (token: string) => call("GET", "/me", { token }),
  patchMe: (token: string, body: unknown) => call("PATCH", "/me", { token, body }),
  changePassword: (token: string, body: unknown) => call("POST", "/me/password", { token, body }),
  activity: (token: string, query = "") => call("GET", `/me/activity${query}`, { token }),
};
