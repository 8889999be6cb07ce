// A keyed data join for the classroom drawing, after d3-selection's `selection.data(data, key).join(enter, update, exit)`: one element per key, entering ones built, leaving ones faded out then removed. (d3-selection is not among lbsim's dependencies; this is the part of it the page needs.)

/** How long an entering or leaving element fades, and a moved one slides (ms). */
export const TRANSITION_MS = 400;

export interface JoinCallbacks<D, E extends Element> {
  /** Builds the element of a new key (not yet in the document). */
  enter(datum: D, index: number): E;
  /** Brings an element (new or kept) up to date with its datum; called for every datum, in order. */
  update(element: E, datum: D, index: number): void;
}

/**
 * The elements of `parent` keyed by `key`: `join` makes them match `data`, in its order. Entering
 * elements fade in; leaving ones fade out and are removed after TRANSITION_MS (their key can come
 * back meanwhile: it then gets a new element).
 */
export class KeyedJoin<D, E extends SVGElement | HTMLElement> {
  readonly #parent: Element;
  readonly #key: (datum: D) => string;
  readonly #callbacks: JoinCallbacks<D, E>;
  readonly #elements = new Map<string, E>();
  readonly #leaving = new Set<ReturnType<typeof setTimeout>>();

  constructor(parent: Element, key: (datum: D) => string, callbacks: JoinCallbacks<D, E>) {
    this.#parent = parent;
    this.#key = key;
    this.#callbacks = callbacks;
  }

  /** Joins `data`; returns the elements that entered (for their entrance animation). */
  join(data: ReadonlyArray<D>): E[] {
    const entered: E[] = [];
    const wanted = new Set<string>();
    data.forEach((datum, index) => {
      const key = this.#key(datum);
      wanted.add(key);
      let element = this.#elements.get(key);
      if (element === undefined) {
        element = this.#callbacks.enter(datum, index);
        element.setAttribute("data-key", key);
        this.#elements.set(key, element);
        this.#parent.appendChild(element);
        entered.push(element);
      }
      this.#callbacks.update(element, datum, index);
    });
    for (const [key, element] of this.#elements) {
      if (wanted.has(key)) continue;
      this.#elements.delete(key);
      this.#exit(element);
    }
    return entered;
  }

  get(key: string): E | undefined {
    return this.#elements.get(key);
  }

  /** The elements now joined, by key (leaving ones excluded). */
  entries(): IterableIterator<[string, E]> {
    return this.#elements.entries();
  }

  /** Removes every element at once, pending exits included. */
  clear(): void {
    for (const timer of this.#leaving) clearTimeout(timer);
    this.#leaving.clear();
    for (const element of this.#elements.values()) element.remove();
    this.#elements.clear();
    for (const element of Array.from(this.#parent.querySelectorAll(":scope > .leaving"))) element.remove();
  }

  #exit(element: E): void {
    element.classList.add("leaving");
    element.removeAttribute("data-key");
    element.style.transition = `opacity ${TRANSITION_MS}ms`;
    element.style.opacity = "0";
    const timer = setTimeout(() => {
      this.#leaving.delete(timer);
      element.remove();
    }, TRANSITION_MS);
    this.#leaving.add(timer);
  }
}

/** Starts the fade-in of elements just added: drawn transparent once, then made opaque with a transition. */
export function fadeIn(elements: ReadonlyArray<SVGElement | HTMLElement>): void {
  if (elements.length === 0) return;
  for (const element of elements) {
    element.style.opacity = "0";
  }
  // Reading layout commits the transparent state, so the change below is animated.
  void elements[0]!.getBoundingClientRect();
  for (const element of elements) {
    element.style.transition = `opacity ${TRANSITION_MS}ms, transform ${TRANSITION_MS}ms`;
    element.style.opacity = "1";
  }
}

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
