import { account } from "./messages/account";
import { auth } from "./messages/auth";
import { common } from "./messages/common";
import { consoleMessages } from "./messages/console";
import { problems } from "./messages/problems";
import { createStore, useStore } from "../store";

// English and Simplified Chinese. The language comes from the browser (navigator.languages) unless
// the user picked one with the switcher (remembered in localStorage: a preference, nothing secret).
// Each messages file holds both languages; TypeScript checks that zh has every key en has.

export type Lang = "en" | "zh";
export const LANGS: Lang[] = ["en", "zh"];

const en = { ...common.en, ...auth.en, ...account.en, ...consoleMessages.en, ...problems.en };
const zh: Record<keyof typeof en, string> = { ...common.zh, ...auth.zh, ...account.zh, ...consoleMessages.zh, ...problems.zh };
const dictionaries: Record<Lang, Record<string, string>> = { en, zh };
export type MessageKey = keyof typeof en;

function initialLang(): Lang {
  const saved = localStorage.getItem("lang");
  if (saved === "en" || saved === "zh") return saved;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  return preferred.some((l) => l.toLowerCase().startsWith("zh")) ? "zh" : "en";
}

export const lang = createStore<Lang>(initialLang());
const apply = (l: Lang) => {
  document.documentElement.lang = l === "zh" ? "zh-Hans" : "en";
};
apply(lang.get());
lang.subscribe(apply);

export function setLang(l: Lang) {
  localStorage.setItem("lang", l);
  lang.set(l);
}

/** The message in the current language, with {name} placeholders filled. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = dictionaries[lang.get()][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? `{${name}}`));
}

/** A message for a problem code, if we have one in this language. */
export function problemText(code: string | undefined): string | undefined {
  const key = `problem.${code ?? ""}`;
  return key in en ? t(key as MessageKey) : undefined;
}

/** Re-renders the component when the language changes; returns the current language. */
export const useLang = () => useStore(lang);

export function formatDate(iso: string | number | undefined): string {
  if (iso === undefined) return "";
  return new Intl.DateTimeFormat(lang.get() === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(lang.get() === "zh" ? "zh-CN" : "en-GB").format(n);
}
