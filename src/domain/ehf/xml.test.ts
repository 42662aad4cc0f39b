import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeAttribute, escapeText, isBlank, XmlWriter } from './xml.js';

describe('escapeText', () => {
  it.each([
    ['plain æøå ÆØÅ', 'plain æøå ÆØÅ'],
    ['Kaffe & kake', 'Kaffe &amp; kake'],
    ['a < b > c', 'a &lt; b &gt; c'],
    ['&amp; stays literal', '&amp;amp; stays literal'],
    ['"quotes" and \'apostrophes\' need nothing in text', '"quotes" and \'apostrophes\' need nothing in text'],
    ['line\nbreak\tand tab', 'line\nbreak\tand tab'],
    ['CR\r\nLF', 'CR&#13;\nLF'],
    ['emoji 😀 kept', 'emoji 😀 kept'],
  ])('%j → %j', (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it('drops characters XML 1.0 cannot carry (C0 controls, U+FFFE/FFFF, unpaired surrogates)', () => {
    expect(escapeText('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFFi')).toBe('abcdefghi');
    expect(escapeText('lone \uD83D high and \uDE00 low')).toBe('lone  high and  low');
  });
});

describe('escapeAttribute', () => {
  it('also escapes the double quote and keeps line breaks and tabs as references', () => {
    expect(escapeAttribute('faktura "1" & <2>.pdf')).toBe('faktura &quot;1&quot; &amp; &lt;2&gt;.pdf');
    expect(escapeAttribute('a\nb\tc')).toBe('a&#10;b&#9;c');
  });
});

describe('XmlWriter', () => {
  it('skips blank optional elements (Peppol R008 forbids empty ones) and writes well-formed, indented XML', () => {
    const xml = new XmlWriter()
      .open('Root', { xmlns: 'urn:x', empty: null })
      .leaf('A', 'value', { attr: 'x"y' })
      .leaf('B', null)
      .leaf('C', '')
      .leaf('D', '   ')
      .open('E')
      .leaf('F', '<&>')
      .close('E')
      .close('Root')
      .toString();
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Root xmlns="urn:x">\n  <A attr="x&quot;y">value</A>\n  <E>\n    <F>&lt;&amp;&gt;</F>\n  </E>\n</Root>\n',
    );
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('round-trips any text through a real XML parser', () => {
    const nasty = 'Å & <b>fet</b> "sitat" \'x\' \r\n ]]> &#x41; 😀\u0007';
    const xml = new XmlWriter().open('R').leaf('T', nasty, { a: nasty }).close('R').toString();
    const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: true }).parse(xml);
    expect(parsed.R.T['#text']).toBe(nasty.replace('\u0007', ''));
    expect(parsed.R.T['@_a']).toBe(nasty.replace('\u0007', ''));
  });

  it('isBlank', () => {
    expect([null, undefined, '', ' \n\t'].map(isBlank)).toEqual([true, true, true, true]);
    expect(isBlank('0')).toBe(false);
  });
});
