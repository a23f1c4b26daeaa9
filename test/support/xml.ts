/**
 * A strict XML well-formedness check for the SVG the plan writes (no XML parser is among the dependencies):
 * one root element, every tag closed in order, attributes quoted and not repeated, `&` only in a reference, no
 * `<` in text or attribute values. Returns the element tree; throws with the offset of the first fault.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const REF = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (ref: string) => {
  const body = ref.slice(1, -1);
  if (body.startsWith("#x")) return String.fromCodePoint(parseInt(body.slice(2), 16));
  if (body.startsWith("#")) return String.fromCodePoint(Number(body.slice(1)));
  return NAMED[body]!;
};

/** Text and attribute values come back with their references decoded. */
export function parseXml(src: string): XmlElement {
  let at = 0;
  const fault = (what: string): never => {
    throw new Error(`not well-formed XML at offset ${at}: ${what} (near ${JSON.stringify(src.slice(at, at + 40))})`);
  };
  const name = () => {
    NAME.lastIndex = at;
    const m = NAME.exec(src);
    if (!m) fault("a name expected");
    at += m![0].length;
    return m![0];
  };
  const space = () => {
    while (at < src.length && /\s/.test(src[at]!)) at++;
  };
  const skipTo = (end: string) => {
    const i = src.indexOf(end, at);
    if (i < 0) fault(`unterminated, ${end} expected`);
    at = i + end.length;
  };
  /** Text up to `stop`: `<` never, `&` only as a reference. */
  const chars = (stop: string): string => {
    let out = "";
    while (at < src.length && !stop.includes(src[at]!)) {
      if (src[at] === "<") fault("< in text");
      if (src[at] === "&") {
        REF.lastIndex = at;
        const m = REF.exec(src);
        if (!m) fault("& that is not a reference");
        out += decode(m![0]);
        at += m![0].length;
      } else out += src[at++];
    }
    return out;
  };
  const misc = () => {
    for (;;) {
      space();
      if (src.startsWith("<?", at)) skipTo("?>");
      else if (src.startsWith("<!--", at)) skipTo("-->");
      else if (src.startsWith("<!DOCTYPE", at)) skipTo(">");
      else return;
    }
  };
  const element = (): XmlElement => {
    if (src[at] !== "<") fault("< expected");
    at++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: "" };
    const attrs = el.attrs as Record<string, string>;
    for (;;) {
      const before = at;
      space();
      if (src.startsWith("/>", at)) {
        at += 2;
        return el;
      }
      if (src[at] === ">") {
        at++;
        break;
      }
      if (at === before) fault("space expected before an attribute");
      const key = name();
      if (key in attrs) fault(`attribute ${key} repeated`);
      space();
      if (src[at] !== "=") fault("= expected");
      at++;
      space();
      const quote = src[at];
      if (quote !== '"' && quote !== "'") fault("a quoted value expected");
      at++;
      attrs[key] = chars(quote!);
      if (src[at] !== quote) fault("unterminated attribute value");
      at++;
    }
    for (;;) {
      el.text += chars("<");
      if (at >= src.length) fault(`</${el.name}> expected`);
      if (src.startsWith("</", at)) {
        at += 2;
        const end = name();
        if (end !== el.name) fault(`</${el.name}> expected, got </${end}>`);
        space();
        if (src[at] !== ">") fault("> expected");
        at++;
        return el;
      }
      if (src.startsWith("<!--", at)) skipTo("-->");
      else if (src.startsWith("<![CDATA[", at)) skipTo("]]>");
      else if (src.startsWith("<?", at)) skipTo("?>");
      else el.children.push(element());
    }
  };
  misc();
  const root = element();
  misc();
  if (at !== src.length) fault("content after the root element");
  return root;
}

/** Every element of the tree, depth first. */
export function elements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(elements)];
}
