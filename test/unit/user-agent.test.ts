import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BROWSERS, describeUserAgent, maskIp, networkOf, OPERATING_SYSTEMS } from "#lib/identity/user-agent";

// Real User-Agent strings, one or more per family; the order of the rules matters (Edge, Opera,
// Samsung and WeChat also say Chrome and Safari), so each case pins one.
const REAL: [string, string, string, string][] = [
  ["Chrome on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome", "Windows"],
  ["Chrome on macOS", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome", "macOS"],
  ["Chrome on Linux", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome", "Linux"],
  ["Chrome on ChromeOS", "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome", "ChromeOS"],
  ["Chrome on Android", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "Chrome", "Android"],
  ["Chrome on iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1", "Chrome", "iOS"],
  ["Edge on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68", "Edge", "Windows"],
  ["legacy Edge", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045", "Edge", "Windows"],
  ["Edge on Android", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 EdgA/126.0.2592.80", "Edge", "Android"],
  ["Firefox on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox", "Windows"],
  ["Firefox on Linux", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox", "Linux"],
  ["Firefox on iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15", "Firefox", "iOS"],
  ["Safari on macOS", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari", "macOS"],
  ["Safari on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari", "iOS"],
  ["Safari on iPad", "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari", "iPadOS"],
  ["Opera on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 OPR/111.0.0.0", "Opera", "Windows"],
  ["Opera Mini", "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54", "Opera", "Unknown OS"],
  ["Samsung Internet", "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet", "Android"],
  ["WeChat on Android", "Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64", "WeChat", "Android"],
  ["WeChat on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN", "WeChat", "iOS"],
  ["a HarmonyOS phone", "Mozilla/5.0 (Phone; OpenHarmony 4.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.4.300", "Chrome", "HarmonyOS"],
  ["HarmonyOS 2 (Android-based)", "Mozilla/5.0 (Linux; Android 10; HarmonyOS; NOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36", "Chrome", "HarmonyOS"],
  ["curl", "curl/8.5.0", "Unknown browser", "Unknown OS"],
  ["an Android WebView app without a browser token", "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230901.001)", "Unknown browser", "Android"],
];

describe("describeUserAgent", () => {
  it.each(REAL)("names %s", (_what, ua, browser, os) => {
    expect(describeUserAgent(ua)).toEqual({ browser, os });
  });

  it.each([
    ["Chrome (This sign-in was verified by Support)", "Unknown browser", "Unknown OS"],
    ["Chrome/1 <a href=https://evil.example>Click to keep your account</a> Windows", "Chrome", "Windows"],
    ["Mozilla/5.0 (Windows NT 10.0) Firefox/1.0\r\nBcc: victim@example.com", "Firefox", "Windows"],
    ["", "Unknown browser", "Unknown OS"],
    ["ChromeBook Safari Windowsless Macintoshy Linuxish", "Unknown browser", "Unknown OS"],
  ])("gives only family names for a hostile UA: %j", (ua, browser, os) => {
    expect(describeUserAgent(ua)).toEqual({ browser, os });
  });

  it("copes with a non-string from an untyped caller", () => {
    expect(describeUserAgent(undefined as unknown as string)).toEqual({ browser: "Unknown browser", os: "Unknown OS" });
  });

  it("answers only known names for any string, and fast for long ones (fast-check)", () => {
    const tokens = fc.constantFrom("Chrome/1", "Edg/2", "OPR/3", "Firefox/4", "Version/5 Safari/6", "Android", "iPad", "Windows", "CrOS", " ", "(", ";", "<b>");
    const ua = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.oneof(tokens, fc.string({ maxLength: 8 })), { maxLength: 40 }).map((p) => p.join("")));
    fc.assert(
      fc.property(ua, (text) => {
        const { browser, os } = describeUserAgent(text);
        expect(BROWSERS).toContain(browser);
        expect(OPERATING_SYSTEMS).toContain(os);
      }),
      { numRuns: 2000 },
    );
    const started = performance.now();
    for (const text of ["Version/1 ".repeat(100_000), "Chrome".repeat(100_000), `${"(".repeat(50_000)}Mobile/`]) describeUserAgent(text);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("maskIp and networkOf", () => {
  it.each([
    ["203.0.113.42", "203.0.113.x", "203.0.113.0/24"],
    [" 198.51.100.7 ", "198.51.100.x", "198.51.100.0/24"],
    ["::ffff:203.0.113.9", "203.0.113.x", "203.0.113.0/24"],
    ["2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::/48", "2001:db8:85a3::/48"],
    ["2001:0DB8:85A3:0000:0000:8A2E:0370:7334", "2001:db8:85a3::/48", "2001:db8:85a3::/48"],
    ["2001:db8::1", "2001:db8:0::/48", "2001:db8:0::/48"],
    ["fe80::1%eth0", "fe80:0:0::/48", "fe80:0:0::/48"],
    ["::1", "0:0:0::/48", "0:0:0::/48"],
    ["64:ff9b::192.0.2.33", "64:ff9b:0::/48", "64:ff9b:0::/48"],
  ])("%s → %s, network %s", (ip, masked, network) => {
    expect(maskIp(ip)).toBe(masked);
    expect(networkOf(ip)).toBe(network);
  });

  it("tells addresses of one network from another", () => {
    expect(networkOf("203.0.113.1")).toBe(networkOf("203.0.113.254"));
    expect(networkOf("203.0.113.1")).not.toBe(networkOf("203.0.114.1"));
    expect(networkOf("2001:db8:1:ffff::1")).toBe(networkOf("2001:db8:1::2"));
    expect(networkOf("2001:db8:1::1")).not.toBe(networkOf("2001:db8:2::1"));
  });

  it.each(["", "not an ip", "256.1.1.1", "1.2.3", "2001:db8:::1", "203.0.113.1<script>", "12345::1"])("never echoes an invalid address: %j", (ip) => {
    expect(maskIp(ip)).toBe("unknown");
    expect(networkOf(ip)).toBeUndefined();
  });

  it("only ever answers a masked address or 'unknown', for any string (fast-check)", () => {
    const masked = /^(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.x|[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/48|unknown)$/;
    const address = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.string({ maxLength: 60 }));
    fc.assert(
      fc.property(address, (ip) => {
        expect(maskIp(ip)).toMatch(masked);
        const network = networkOf(ip);
        if (network !== undefined) expect(network).toMatch(/^(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.0\/24|[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/48)$/);
      }),
      { numRuns: 2000 },
    );
  });
});
