// The search page of a static copy of an inforce site (`inforce export-site`). It searches, in the reader's
// browser, the texts in force on the day the copy was written, which the page loads just before this script
// (`search/index.js`, written by the export). Queries follow the site's own search (inforce_core::search), rule
// for rule: texts and queries in Normalization Form C; words are what `\w+` matches in Unicode (letters, marks,
// decimal digits, connectors, joiners), compared by simple case folding; both by the tables the index
// carries (`words`, `fold`), so the browser's own Unicode version does not change what matches; "a phrase", prefix*, heading:word, AND (or nothing), OR, NOT (or -word) and
// parentheses; the same limits and the same error messages. Results come in reading order, heading matches first.
// It needs no server, no network and no storage, so the copy works from the file system as from any web server.
(function () {
  'use strict';
  const index = window.inforceSearchIndex;
  const out = document.getElementById('results');
  const input = document.getElementById('q');
  const source = document.querySelector('script[data-search-index]');
  if (!index || !out || !input || !source) return;

  const MAX_QUERY_CHARS = 500;
  const MAX_TERMS = 32;
  const PER_PAGE = 20;
  const code = (n) => `\\u{${n.toString(16)}}`;
  const ranges = index.words.map(([a, b]) => (a === b ? code(a) : `${code(a)}-${code(b)}`));
  const WORD = new RegExp(`[${ranges.join('')}]+`, 'gu');
  const SPACE = /^\p{White_Space}$/u;
  const folds = new Map(index.fold);

  function fold(word) {
    let folded = '';
    for (const c of word) folded += folds.get(c) ?? c;
    return folded;
  }

  /** The words of a text with their places (in UTF-16 units), as inforce_core::search::words splits it. */
  function words(text) {
    return Array.from(text.matchAll(WORD), (m) => ({ start: m.index, end: m.index + m[0].length, word: m[0] }));
  }

  class QueryError extends Error {
    constructor(column, message) {
      super(message);
      this.column = column;
    }
  }

  function isSpace(c) {
    return c !== undefined && SPACE.test(c);
  }

  function lex(chars) {
    const tokens = [];
    let i = 0;
    while (i < chars.length) {
      const c = chars[i];
      const column = i + 1;
      if (isSpace(c)) {
        i += 1;
        continue;
      }
      if (c === '(' || c === ')') {
        tokens.push({ kind: c === '(' ? 'open' : 'close', column });
        i += 1;
        continue;
      }
      if (c === '-' && chars[i + 1] !== undefined && !isSpace(chars[i + 1])) {
        tokens.push({ kind: 'not', column });
        i += 1;
        continue;
      }
      let heading = false;
      if (chars.slice(i, i + 8).join('').toLowerCase() === 'heading:') {
        heading = true;
        i += 8;
      }
      let raw;
      let quoted = false;
      let start;
      if (chars[i] === '"') {
        start = i + 1;
        const close = chars.indexOf('"', start);
        if (close < 0) throw new QueryError(start, 'this quote is never closed: end the phrase with "');
        raw = chars.slice(start, close).join('');
        quoted = true;
        i = close + 1;
      } else {
        start = i;
        while (i < chars.length && !isSpace(chars[i]) && chars[i] !== '(' && chars[i] !== ')') i += 1;
        raw = chars.slice(start, i).join('');
      }
      if (heading && raw === '') throw new QueryError(column, 'heading: needs a word or a "phrase" after it');
      if (!quoted && !heading && (raw === 'AND' || raw === 'OR' || raw === 'NOT')) {
        tokens.push({ kind: raw.toLowerCase(), column });
        continue;
      }
      const prefix = !quoted && raw.endsWith('*');
      const core = raw.replace(/\*+$/u, '');
      const termWords = words(core).map((w) => fold(w.word));
      if (termWords.length === 0) {
        throw new QueryError(
          start + 1,
          quoted ? 'the phrase is empty: put words between the quotes' : `'${raw}' has no letters or digits to search for`,
        );
      }
      if (prefix && Array.from(termWords[termWords.length - 1]).length < 2) {
        throw new QueryError(start + 1, 'a prefix needs at least two letters before the *');
      }
      tokens.push({ kind: 'term', column, term: { words: termWords, prefix, heading } });
    }
    return tokens;
  }

  /** Reads a query as inforce_core::search::parse does, with the same messages and columns. */
  function parse(text) {
    const chars = Array.from(text.normalize('NFC'));
    if (chars.length > MAX_QUERY_CHARS) {
      throw new QueryError(
        MAX_QUERY_CHARS + 1,
        `the query is ${chars.length} characters long; the limit is ${MAX_QUERY_CHARS}`,
      );
    }
    const tokens = lex(chars);
    if (tokens.length === 0) throw new QueryError(1, 'the query is empty: give a word to search for');
    const terms = tokens.filter((t) => t.kind === 'term').length;
    if (terms > MAX_TERMS) throw new QueryError(1, `the query has ${terms} terms; the limit is ${MAX_TERMS}`);
    let at = 0;
    const end = chars.length + 1;
    const peek = () => (at < tokens.length ? tokens[at].kind : null);
    const column = () => (at < tokens.length ? tokens[at].column : end);
    const endsTooEarly = () => [null, 'close', 'or', 'and'].includes(peek());
    function or() {
      const parts = [and()];
      while (peek() === 'or') {
        const col = column();
        at += 1;
        if (endsTooEarly()) throw new QueryError(col, 'OR needs a term after it');
        parts.push(and());
      }
      return parts.length === 1 ? parts[0] : { or: parts };
    }
    function and() {
      const parts = [unary()];
      for (;;) {
        const kind = peek();
        if (kind === 'and') {
          const col = column();
          at += 1;
          if (endsTooEarly()) throw new QueryError(col, 'AND needs a term after it');
          parts.push(unary());
        } else if (kind === 'term' || kind === 'not' || kind === 'open') {
          parts.push(unary());
        } else {
          break;
        }
      }
      return parts.length === 1 ? parts[0] : { and: parts };
    }
    function unary() {
      const col = column();
      switch (peek()) {
        case 'not':
          at += 1;
          if (endsTooEarly()) throw new QueryError(col, 'NOT needs a term after it');
          return { not: unary() };
        case 'open': {
          at += 1;
          if (peek() === 'close') throw new QueryError(col, 'empty parentheses');
          const inner = or();
          if (peek() !== 'close') throw new QueryError(col, "this '(' is never closed");
          at += 1;
          return inner;
        }
        case 'term':
          at += 1;
          return { term: tokens[at - 1].term };
        case 'and':
        case 'or':
          throw new QueryError(col, 'AND and OR go between two terms');
        case 'close':
          throw new QueryError(col, "a ')' without its '('");
        default:
          throw new QueryError(col, 'the query ends too early');
      }
    }
    const query = or();
    if (at < tokens.length) {
      const token = tokens[at];
      throw new QueryError(token.column, token.kind === 'close' ? "a ')' without its '('" : 'unexpected text here');
    }
    const positive = (q) => (q.term ? true : q.not ? false : (q.and || q.or).some(positive));
    if (!positive(query)) {
      throw new QueryError(1, 'the query only excludes: give at least one word to search for besides NOT');
    }
    return query;
  }

  const provisions = index.provisions;
  let folded = null;
  /** Each provision's words, folded, split once on the first search. */
  function foldedWords() {
    if (!folded) folded = provisions.map((p) => words(p.text).map((w) => fold(w.word)));
    return folded;
  }

  function everything() {
    return new Map(provisions.map((_, n) => [n, []]));
  }

  /** The provisions a query matches, each with the places (word numbers) of its matched words. */
  function evaluate(query) {
    if (query.term) return term(query.term);
    if (query.or) {
      const found = new Map();
      for (const part of query.or) {
        for (const [n, places] of evaluate(part)) found.set(n, (found.get(n) || []).concat(places));
      }
      return found;
    }
    if (query.and) {
      let found = null;
      for (const part of query.and.filter((p) => !p.not)) {
        const these = evaluate(part);
        if (found === null) {
          found = these;
        } else {
          for (const n of [...found.keys()]) {
            if (these.has(n)) found.set(n, found.get(n).concat(these.get(n)));
            else found.delete(n);
          }
        }
      }
      found = found || everything();
      for (const part of query.and.filter((p) => p.not)) {
        for (const n of evaluate(part.not).keys()) found.delete(n);
      }
      return found;
    }
    const found = everything();
    for (const n of evaluate(query.not).keys()) found.delete(n);
    return found;
  }

  function term({ words: wanted, prefix, heading }) {
    const found = new Map();
    const last = wanted.length - 1;
    foldedWords().forEach((have, n) => {
      const places = [];
      for (let start = 0; start + last < have.length; start += 1) {
        const matches = wanted.every((w, k) =>
          prefix && k === last ? have[start + k].startsWith(w) : have[start + k] === w,
        );
        if (!matches || (heading && start + last >= provisions[n].h)) continue;
        for (let k = 0; k <= last; k += 1) places.push(start + k);
      }
      if (places.length > 0) found.set(n, places);
    });
    return found;
  }

  /** A passage of about 240 characters around the first match in the body, as [text, highlighted] runs. */
  function snippet(text, places) {
    const all = words(text);
    const marked = [...new Set(places)].sort((a, b) => a - b).map((n) => all[n]);
    const newline = text.indexOf('\n');
    const body = newline < 0 ? 0 : newline + text.slice(newline).length - text.slice(newline).trimStart().length;
    const first = marked.find((m) => m.start >= body) || marked[0];
    const anchor = first ? first.start : body;
    let start = Math.max(body, anchor - 80);
    if (start > Math.min(body, anchor) && start < anchor) {
      const space = text.slice(start, anchor).search(/\s/u);
      start = space < 0 ? anchor : start + space + 1;
    }
    start = Math.min(start, anchor);
    let end = Math.min(text.length, start + 240);
    if (end < text.length) {
      const space = text.slice(start, end).search(/\s\S*$/u);
      if (space > 0) end = start + space;
    }
    const runs = [];
    let at = start;
    for (const m of marked.filter((m) => m.start >= start && m.end <= end)) {
      if (m.start > at) runs.push([text.slice(at, m.start), false]);
      runs.push([text.slice(m.start, m.end), true]);
      at = m.end;
    }
    if (at < end) runs.push([text.slice(at, end), false]);
    for (const run of runs) run[0] = run[0].replace(/\s+/gu, ' ');
    if (start > body) runs.unshift(['…', false]);
    if (text.slice(end).trim() !== '') runs.push(['…', false]);
    return runs;
  }

  function element(name, text, attributes) {
    const node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    return node;
  }

  function pageLink(query, page, words, rel) {
    return element('a', words, { href: `?q=${encodeURIComponent(query)}&page=${page}`, rel });
  }

  function show(query, page) {
    input.value = query;
    let parsed;
    try {
      parsed = parse(query);
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      out.append(element('p', `The query is malformed at column ${error.column}: ${error.message}.`, { class: 'error' }));
      return;
    }
    const hits = [...evaluate(parsed)].map(([n, places]) => ({
      n,
      places,
      heading: places.some((p) => p < provisions[n].h),
    }));
    hits.sort((a, b) => b.heading - a.heading || a.n - b.n);
    const pages = Math.max(1, Math.ceil(hits.length / PER_PAGE));
    page = Math.min(Math.max(1, page), pages);
    const matchWords = hits.length === 1 ? 'provision matches' : 'provisions match';
    const pageWords = pages > 1 ? ` (page ${page} of ${pages})` : '';
    out.append(element('h2', `${hits.length} ${matchWords} on ${index.date}${pageWords}`));
    for (const hit of hits.slice((page - 1) * PER_PAGE, page * PER_PAGE)) {
      const provision = provisions[hit.n];
      const section = element('section', undefined, { class: 'hit' });
      const heading = element('h3');
      heading.append(element('a', provision.id, { href: new URL(provision.href, source.src).href }));
      if (provision.heading) heading.append(` ${provision.heading}`);
      if (hit.heading) heading.append(' ', element('small', '(in the heading)'));
      const passage = element('p', undefined, { class: 'snippet' });
      for (const [text, marked] of snippet(provision.text, hit.places)) {
        passage.append(marked ? element('mark', text) : text);
      }
      section.append(heading, passage);
      out.append(section);
    }
    if (pages > 1) {
      const pager = element('p');
      if (page > 1) pager.append(pageLink(query, page - 1, 'Previous page', 'prev'), ' ');
      if (page < pages) pager.append(pageLink(query, page + 1, 'Next page', 'next'));
      out.append(pager);
    }
  }

  const asked = new URLSearchParams(window.location.search);
  const query = asked.get('q');
  // As the server: a query of white space alone (Unicode's, which String.trim does not quite follow) asks nothing.
  if (query !== null && !/^\p{White_Space}*$/u.test(query)) show(query, Number.parseInt(asked.get('page') || '1', 10) || 1);
})();
