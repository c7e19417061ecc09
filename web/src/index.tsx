import { render } from "solid-js/web";
import { App } from "./app.tsx";
import "./ui/theme.css";

render(() => <App />, document.getElementById("root")!);
