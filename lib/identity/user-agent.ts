import { isIP } from "node:net";

// What a new-device mail may say about a sign-in: the browser and OS families and a masked
// network, never any of the raw User-Agent (the client writes it, so it could carry text meant to
// look like ours, e.g. "Chrome (This sign-in was verified by Support)"). Every output is one of
// the constants below or built only from parsed numbers.

export const BROWSERS = ["WeChat", "Samsung Internet", "Opera", "Edge", "Firefox", "Chrome", "Safari", "Unknown browser"] as const;
export const OPERATING_SYSTEMS = ["HarmonyOS", "iPadOS", "iOS", "Android", "ChromeOS", "Windows", "macOS", "Linux", "Unknown OS"] as const;
export type Browser = (typeof BROWSERS)[number];
export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number];

// First match wins: apps and Chromium forks also say "Chrome/" and "Safari/", so they come first.
// No nested quantifiers and a length cap, so no input can make a test slow.
const BROWSER_RULES: [RegExp, Browser][] = [
  [/\bMicroMessenger\//, "WeChat"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bOPR\/|\bOPiOS\/|\bOPT\/|^Opera\//, "Opera"],
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bChrome\/|\bCriOS\//, "Chrome"],
  [/\bVersion\/[\d.]+ (?:Mobile\/\w+ )?Safari\//, "Safari"],
];

// HarmonyOS still says "Android" on many devices; iOS, iPadOS and ChromeOS look like macOS/Linux.
const OS_RULES: [RegExp, OperatingSystem][] = [
  [/\bHarmonyOS\b|\bOpenHarmony\b/, "HarmonyOS"],
  [/\biPad\b/, "iPadOS"],
  [/\biPhone\b|\biPod\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMacintosh\b|\bMac OS X\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
];

const MAX_UA_LENGTH = 1024;

const firstMatch = <T>(text: string, rules: [RegExp, T][], fallback: T): T => rules.find(([pattern]) => pattern.test(text))?.[1] ?? fallback;

/** The browser and OS families of a User-Agent header: always names from the lists above. */
export function describeUserAgent(ua: string): { browser: Browser; os: OperatingSystem } {
  const text = typeof ua === "string" ? ua.slice(0, MAX_UA_LENGTH) : "";
  return { browser: firstMatch(text, BROWSER_RULES, "Unknown browser"), os: firstMatch(text, OS_RULES, "Unknown OS") };
}

type Parsed = { v: 4; octets: number[] } | { v: 6; hextets: number[] };

/** IPv4 octets or the eight IPv6 hextets (IPv4-mapped IPv6 counts as IPv4); undefined if not an address. */
function parseIp(raw: string): Parsed | undefined {
  if (typeof raw !== "string") return undefined;
  const ip = raw.trim().replace(/%[\w.-]{1,64}$/, ""); // an IPv6 zone id names a local interface, not a network
  const version = isIP(ip);
  if (version === 4) return { v: 4, octets: ip.split(".").map(Number) };
  if (version !== 6) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) return parseIp(mapped[1]);
  let text = ip.toLowerCase();
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)?.[1]; // a trailing embedded IPv4 is two hextets
  if (tail) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split(".").map(Number);
    text = `${text.slice(0, -tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = rest ? rest.split(":") : [];
  const zeros = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  const hextets = [...left, ...zeros, ...right].map((h) => parseInt(h, 16));
  return hextets.length === 8 && hextets.every((h) => h >= 0 && h <= 0xffff) ? { v: 6, hextets } : undefined;
}

const first3Hextets = (hextets: number[]) => hextets.slice(0, 3).map((h) => h.toString(16)).join(":");

/** For display: `203.0.113.x`, or the /48 of an IPv6 address (`2001:db8:85a3::/48`); "unknown" otherwise. */
export function maskIp(ip: string): string {
  const parsed = parseIp(ip);
  if (!parsed) return "unknown";
  return parsed.v === 4 ? `${parsed.octets.slice(0, 3).join(".")}.x` : `${first3Hextets(parsed.hextets)}::/48`;
}

/**
 * The network an address belongs to (`203.0.113.0/24`, `2001:db8:85a3::/48`), to tell a sign-in
 * from a new network. Undefined when the input is not an address: the caller decides (treat it
 * as new), rather than two garbage inputs comparing equal.
 */
export function networkOf(ip: string): string | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return undefined;
  return parsed.v === 4 ? `${parsed.octets.slice(0, 3).join(".")}.0/24` : `${first3Hextets(parsed.hextets)}::/48`;
}
