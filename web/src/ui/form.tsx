import type { ComponentChildren, JSX } from "preact";
import { useId } from "preact/hooks";

// Form parts with visible labels, errors tied to their field (aria-describedby) and announced.

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "onInput" | "value" | "label" | "type"> & {
  label: string;
  name: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  type?: string;
  autoComplete?: string;
  required?: boolean;
};

export function Field({ label, name, value, onValue, error, hint, type = "text", ...rest }: InputProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described = [hint ? hintId : "", error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described}
        {...rest}
      />
      {hint && (
        <div class="hint" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div class="error" id={errorId} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

type SelectProps = { label: string; name: string; value: string; onValue: (value: string) => void; options: Array<[string, string]>; error?: string | undefined };

export function Select({ label, name, value, onValue, options, error }: SelectProps) {
  const id = useId();
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)} aria-invalid={error ? "true" : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {options.map(([v, text]) => (
          <option value={v} key={v}>
            {text}
          </option>
        ))}
      </select>
      {error && (
        <div class="error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

type TextAreaProps = { label: string; name: string; value: string; onValue: (value: string) => void; error?: string | undefined; maxLength?: number; rows?: number };

export function TextArea({ label, name, value, onValue, error, maxLength, rows = 4 }: TextAreaProps) {
  const id = useId();
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={id}>{label}</label>
      <textarea id={id} name={name} rows={rows} maxLength={maxLength} value={value} onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)} aria-invalid={error ? "true" : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error && (
        <div class="error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

export function Checkbox({ label, checked, onChecked, error, name }: { label: ComponentChildren; name: string; checked: boolean; onChecked: (v: boolean) => void; error?: string | undefined }) {
  const id = useId();
  return (
    <div class={`field checkbox${error ? " has-error" : ""}`}>
      <input id={id} name={name} type="checkbox" checked={checked} onChange={(e) => onChecked((e.currentTarget as HTMLInputElement).checked)} aria-invalid={error ? "true" : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      <label for={id}>{label}</label>
      {error && (
        <div class="error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** A message above a form: errors are alerts, successes are polite status updates. */
export function Notice({ kind, children }: { kind: "error" | "success" | "info"; children: ComponentChildren }) {
  return (
    <div class={`notice ${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/** A form that calls onSubmit without reloading, with a busy state on its button. */
export function Form({ onSubmit, children, label }: { onSubmit: () => void | Promise<void>; children: ComponentChildren; label?: string }) {
  return (
    <form
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      {children}
    </form>
  );
}
