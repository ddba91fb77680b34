/**
 * The first path segments the web app owns. None is an API path, so the local front door
 * (scripts/local/web.ts) tells a page from an API call by its path alone.
 */
export const APP_PREFIXES = ["/login", "/register", "/verify", "/forgot-password", "/privacy-policy", "/account", "/console"];
