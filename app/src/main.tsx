/** Entry of the studio: styles, the page, and the restore of a saved analysis. */
import { render } from "preact";
import { start } from "./actions.js";
import { App } from "./app.js";
import { restore } from "./store.js";
import "./styles.css";

const saved = restore();
render(<App />, document.getElementById("app")!);
// when the page is usable, in ms from the navigation's start (scripts/studio-figures.ts reads it)
performance.mark("mlm-studio-rendered");
void start(saved);
