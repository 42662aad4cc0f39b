/**
 * A small, strict XML writer for the EHF documents: elements are appended to one
 * string as they are written (no DOM, no intermediate tree), which keeps a 10-line
 * invoice in the tens of microseconds. Text and attribute values are
 * escaped here and nowhere else; characters XML 1.0 cannot carry at all (most C0
 * controls, U+FFFE/U+FFFF, unpaired surrogates) are dropped rather than written,
 * because no escape exists for them.
 */

const NEEDS_WORK = /[&<>"\r\n\t\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text content: `&`, `<`, `>` and a carriage return (kept as `&#13;`, since a
 * parser would otherwise fold CR LF into LF). Line feeds and tabs stay as they are.
 *
 * @example escapeText('Kaffe & kake <gratis>') // 'Kaffe &amp; kake &lt;gratis&gt;'
 */
export function escapeText(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Escapes an attribute value (double-quoted); whitespace other than a space is kept as a character reference. */
export function escapeAttribute(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return escapeText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

export type Attributes = Readonly<Record<string, string | null | undefined>>;

function attributeText(attributes: Attributes | undefined): string {
  if (!attributes) return '';
  let text = '';
  for (const name in attributes) {
    const value = attributes[name];
    if (value !== null && value !== undefined) text += ` ${name}="${escapeAttribute(value)}"`;
  }
  return text;
}

/** Whether a value would produce an element with no content (Peppol R008 forbids empty elements). */
export function isBlank(value: string | null | undefined): value is null | undefined | '' {
  return value === null || value === undefined || value.trim() === '';
}

/**
 * Appends indented XML. `leaf` skips blank values, so an optional element is written
 * only when it has content; `open`/`close` must be balanced by the caller.
 */
export class XmlWriter {
  // One growing string: V8 concatenates into a rope and flattens once, faster here than Array#join.
  private out = '<?xml version="1.0" encoding="UTF-8"?>';
  private indent = '\n';

  open(name: string, attributes?: Attributes): this {
    this.out += `${this.indent}<${name}${attributeText(attributes)}>`;
    this.indent += '  ';
    return this;
  }

  close(name: string): this {
    this.indent = this.indent.slice(0, -2);
    this.out += `${this.indent}</${name}>`;
    return this;
  }

  leaf(name: string, value: string | null | undefined, attributes?: Attributes): this {
    if (isBlank(value)) return this;
    this.out += `${this.indent}<${name}${attributeText(attributes)}>${escapeText(value)}</${name}>`;
    return this;
  }

  toString(): string {
    return `${this.out}\n`;
  }
}
