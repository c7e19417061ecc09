// Renders the parsed markdown tree as Solid elements. Every piece of user text lands in
// a text node; hrefs were checked by safeUrl. Nothing here touches innerHTML.
import { For, type JSX, Match, Switch } from "solid-js";
import { type MdNode, parseMarkdown } from "./markdown.ts";

function Nodes(props: { nodes: MdNode[] }): JSX.Element {
  return <For each={props.nodes}>{(n) => <Node node={n} />}</For>;
}

function Node(props: { node: MdNode }): JSX.Element {
  const n = props.node;
  return (
    <Switch>
      <Match when={n.t === "text" && n}>{(x) => x().v}</Match>
      <Match when={n.t === "b" && n}>{(x) => <strong><Nodes nodes={x().c} /></strong>}</Match>
      <Match when={n.t === "i" && n}>{(x) => <em><Nodes nodes={x().c} /></em>}</Match>
      <Match when={n.t === "s" && n}>{(x) => <s><Nodes nodes={x().c} /></s>}</Match>
      <Match when={n.t === "code" && n}>{(x) => <code>{x().v}</code>}</Match>
      <Match when={n.t === "pre" && n}>{(x) => <pre><code>{x().v}</code></pre>}</Match>
      <Match when={n.t === "mention" && n}>{(x) => <span class="mention">{x().v}</span>}</Match>
      <Match when={n.t === "link" && n}>
        {(x) => (
          <a href={x().href} target="_blank" rel="noopener noreferrer nofollow">
            <Nodes nodes={x().c} />
          </a>
        )}
      </Match>
    </Switch>
  );
}

export function Markdown(props: { text: string }) {
  return <Nodes nodes={parseMarkdown(props.text)} />;
}
