// The drawing's DOM writes: SVG elements made with their attributes, and attributes and text written only when they change (the joins themselves are d3-selection's).

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with attributes (numbers written with two decimals at most). */
export function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | number>> = {},
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) setAttr(element, name, value);
  return element;
}

/** Sets an attribute only when it changes: most frames change nothing, and writes cost style work. */
export function setAttr(element: Element, name: string, value: string | number): void {
  const text = typeof value === "number" ? String(Math.round(value * 100) / 100) : value;
  if (element.getAttribute(name) !== text) element.setAttribute(name, text);
}

/** Sets a node's text (as text: a name like `<img src=x>` shows those characters) when it changes. */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
