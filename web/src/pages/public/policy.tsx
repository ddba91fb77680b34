import { t, useLang } from "../../i18n";
import { Layout } from "../../ui/layout";

import { PRIVACY_POLICY_VERSION } from "../../privacy-policy";

const TEXT = {
  en: [
    "We keep the data you give us (username, e-mail, phone, profile, identity documents) to run your account and keep the platform safe.",
    "Your contact details and documents are stored encrypted; staff see them masked unless their role needs them, and every staff action is audited.",
    "You can download everything we hold about you, change your consent, or delete your account at any time from the Privacy page.",
    "Identity documents are kept only as long as verification and the law require; sign-in records for 180 days.",
  ],
  zh: [
    "我们保存您提供的数据（用户名、邮箱、手机号、个人资料、身份证件），用于运营您的账户并保障平台安全。",
    "您的联系方式和证件均加密存储；除非岗位需要，员工只能看到脱敏信息，且所有员工操作均有审计记录。",
    "您可以随时在“隐私”页面下载我们保存的全部数据、修改同意设置或删除账户。",
    "身份证件仅在验证和法律要求的期限内保存；登录记录保存 180 天。",
  ],
};

export function PolicyPage() {
  const lang = useLang();
  return (
    <Layout>
      <h1>{t("policy.title")}</h1>
      <p class="hint">{t("policy.version", { version: PRIVACY_POLICY_VERSION })}</p>
      {TEXT[lang].map((p) => (
        <p key={p}>{p}</p>
      ))}
    </Layout>
  );
}
