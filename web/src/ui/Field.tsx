// A labelled input bound to a signal setter. Props are read through `props.` (never
// destructured) so Solid keeps them reactive.
import type { JSX } from "solid-js";

export function Field(props: {
  label: string;
  name: string;
  type?: string;
  value: string;
  onInput: (value: string) => void;
  autocomplete?: JSX.InputHTMLAttributes<HTMLInputElement>["autocomplete"];
  required?: boolean;
  minLength?: number;
}) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        autocomplete={props.autocomplete}
        required={props.required ?? false}
        minLength={props.minLength}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}
