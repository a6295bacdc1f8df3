/**
 * Charts as vega-lite specifications, rendered in Node without a browser: vega-lite compiles
 * the specification to vega, a headless vega View lays it out, vega's SVG renderer writes it,
 * and resvg rasterises the SVG when a PNG is asked for.
 *
 * Rendering is synchronous: a chart whose data are inline values needs no loading, so the
 * view's dataflow runs to completion in `run()`, and the SVG renderer draws the finished
 * scene graph at once (vega's own `toSVG` is the asynchronous form of the same two steps).
 */
import { Resvg } from "@resvg/resvg-js";
import { parse, renderModule, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export type ChartSpec = TopLevelSpec;

/** What the headless SVG renderer offers (vega-scenegraph's `SVGRenderer`). */
interface SvgRenderer {
  initialize(el: null, width: number, height: number, origin: [number, number]): SvgRenderer;
  background(color: string): SvgRenderer;
  render(scene: unknown): SvgRenderer;
  svg(): string;
}

/** The laid-out size of a view: vega keeps it on the view after `run()`. */
interface LaidOut {
  _viewWidth: number;
  _viewHeight: number;
}

export function renderSvg(spec: ChartSpec): string {
  const withFont = { ...spec, config: { font: "sans-serif", ...spec.config } } as ChartSpec;
  const view = new View(parse(compile(withFont).spec), { renderer: "none" });
  view.run();
  const padding = view.padding() as { left: number; right: number; top: number; bottom: number };
  const size = view as unknown as LaidOut;
  // The typings only declare renderModule's registering form; called with a name it looks one up.
  const lookup = renderModule as unknown as (name: string) => { headless: new () => SvgRenderer };
  const Renderer = lookup("svg").headless;
  const renderer = new Renderer()
    .initialize(null, size._viewWidth + padding.left + padding.right, size._viewHeight + padding.top + padding.bottom, view.origin())
    .background("white");
  const svg = renderer.render((view.scenegraph() as unknown as { root: unknown }).root).svg();
  view.finalize();
  return `${svg}\n`;
}

/** The SVG rasterised at `scale` × its size, with the system's fonts. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, { fitTo: { mode: "zoom", value: scale }, font: { loadSystemFonts: true }, background: "white" });
  return resvg.render().asPng();
}

/** A chart written as SVG or PNG, chosen by the file name's extension. */
export function renderChart(spec: ChartSpec, format: "svg" | "png"): string | Uint8Array {
  const svg = renderSvg(spec);
  return format === "svg" ? svg : svgToPng(svg);
}
