/**
 * Exports of the studio: a plot (one or more SVG panels) as SVG or PNG, a table as CSV. Files are
 * made in the tab and saved with a download link; nothing is sent anywhere.
 */

/** Saves a blob under a file name. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The panels of a plot container side by side in one standalone SVG document. */
export function svgText(container: Element): { text: string; width: number; height: number } {
  const NS = "http://www.w3.org/2000/svg";
  const panels = [...container.querySelectorAll("svg")].filter((s) => !s.parentElement?.closest("svg"));
  let x = 0;
  let height = 0;
  const out = document.createElementNS(NS, "svg");
  out.setAttribute("xmlns", NS);
  for (const svg of panels) {
    const w = Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
    const h = Number(svg.getAttribute("height")) || svg.getBoundingClientRect().height;
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute("x", String(x));
    copy.setAttribute("y", "0");
    copy.setAttribute("width", String(w));
    copy.setAttribute("height", String(h));
    out.append(copy);
    x += w;
    height = Math.max(height, h);
  }
  out.setAttribute("width", String(x));
  out.setAttribute("height", String(height));
  out.setAttribute("viewBox", `0 0 ${x} ${height}`);
  out.setAttribute("font-family", "system-ui, sans-serif");
  out.setAttribute("style", "background: white");
  const bg = document.createElementNS(NS, "rect");
  bg.setAttribute("width", "100%");
  bg.setAttribute("height", "100%");
  bg.setAttribute("fill", "white");
  out.prepend(bg);
  return { text: new XMLSerializer().serializeToString(out), width: x, height };
}

export function exportSvg(container: Element, name: string): void {
  download(`${name}.svg`, new Blob([svgText(container).text], { type: "image/svg+xml" }));
}

/** Draws the SVG on a canvas at twice its size and saves it as PNG. */
export async function exportPng(container: Element, name: string): Promise<void> {
  const { text, width, height } = svgText(container);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(width * 2);
  canvas.height = Math.ceil(height * 2);
  const ctx = canvas.getContext("2d")!;
  ctx.scale(2, 2);
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(img, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (blob) download(`${name}.png`, blob);
}

export function exportCsv(text: string, name: string): void {
  download(`${name}.csv`, new Blob([text], { type: "text/csv" }));
}
