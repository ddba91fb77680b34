import { problemText, t } from "../i18n";

// What the pages do with an RFC 9457 problem from the API: errors that name a field
// ("body.password", "query.login") go beside that field, the rest above the form.

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  retryAfter?: number;
  errors?: Array<{ path: string; message: string }>;
}

export interface FormErrors {
  /** Field name (the last part of the path) → message. */
  fields: Record<string, string>;
  /** What names no field. */
  form?: string;
}

export const noErrors: FormErrors = { fields: {} };

export function asProblem(error: unknown, status = 0): Problem {
  const p = (error ?? {}) as Partial<Problem>;
  return { status: p.status ?? status, code: p.code ?? "UNKNOWN", ...p };
}

/** The problem's message in the page's language (server detail when we have no words of our own). */
export function problemMessage(problem: Problem): string {
  return problemText(problem.code)?.replace("{seconds}", String(problem.retryAfter ?? "")) ?? problem.detail ?? t("app.error");
}

/**
 * Splits a problem into field errors and a form error. Errors with a path go beside that field;
 * `codeFields` names the field for problems that carry no path (CODE_MISMATCH → "code").
 */
export function formErrors(problem: Problem, codeFields: Record<string, string> = {}): FormErrors {
  const fields: Record<string, string> = {};
  const ownWords = problem.code !== "VALIDATION_FAILED" ? problemText(problem.code) : undefined;
  for (const e of problem.errors ?? []) {
    const name = e.path.split(".").filter((part) => part !== "body" && part !== "query" && part !== "params")[0];
    if (name) fields[name] ??= ownWords ? problemMessage(problem) : e.message;
  }
  const codeField = codeFields[problem.code];
  if (codeField && !fields[codeField]) fields[codeField] = problemMessage(problem);
  const named = Object.keys(fields).length > 0;
  return { fields, ...(named ? {} : { form: problemMessage(problem) }) };
}
