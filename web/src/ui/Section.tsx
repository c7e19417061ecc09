// A titled settings section.
import type { JSX } from "solid-js";

export function Section(props: { title: string; children: JSX.Element }) {
  return (
    <section class="settings-section" aria-label={props.title}>
      <h3>{props.title}</h3>
      {props.children}
    </section>
  );
}

