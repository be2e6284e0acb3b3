// Small text helpers of the printer: aligned columns, ranges, waivers. Line length target 100.

export const INDENT = '  ';

/** `[w-1:0]` for a vector, empty for a single bit. */
export function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0]`;
}

/** `logic [7:0]  name` with the range padded to `rangeWidth` columns. */
export function logicDecl(width: number, name: string, rangeWidth: number): string {
  if (rangeWidth === 0) return `logic ${name}`;
  return `logic ${range(width).padEnd(rangeWidth)} ${name}`;
}

/** Appends `  // comment` when there is one. */
export function withComment(line: string, comment: string | undefined): string {
  return comment ? `${line}  // ${comment}` : line;
}

/** Joins comment parts, skipping empty ones. */
export function joinComments(...parts: (string | undefined | null)[]): string | undefined {
  const kept = parts.filter((p): p is string => !!p);
  return kept.length > 0 ? kept.join('; ') : undefined;
}

export const LINT_OFF_UNUSED = '/* verilator lint_off UNUSEDSIGNAL */';
export const LINT_ON_UNUSED = '/* verilator lint_on UNUSEDSIGNAL */';

/** A declaration line, wrapped in a narrow UNUSEDSIGNAL waiver when `unusedReason` is set. */
export function waived(indent: string, line: string, unusedReason: string | null): string[] {
  if (!unusedReason) return [indent + line];
  return [indent + LINT_OFF_UNUSED, indent + line, indent + LINT_ON_UNUSED];
}

/**
 * `lhs = rhs;` lines with the `=` (or `<=`) aligned. Right-hand sides with several lines (a
 * memory read) continue under the first character of the expression.
 */
export function alignedAssigns(
  indent: string,
  keyword: string,
  op: string,
  rows: readonly { lhs: string; rhs: readonly string[]; comment?: string }[],
): string[] {
  const w = rows.reduce((m, r) => Math.max(m, r.lhs.length), 0);
  const out: string[] = [];
  for (const r of rows) {
    const head = `${indent}${keyword}${r.lhs.padEnd(w)} ${op} `;
    r.rhs.forEach((part, i) => {
      const last = i === r.rhs.length - 1;
      const line = `${i === 0 ? head : ' '.repeat(head.length)}${part}${last ? ';' : ''}`;
      out.push(last ? withComment(line, r.comment) : line);
    });
  }
  return out;
}

/** Splits a long `{a, b, c}` concatenation into lines of at most ~`max` characters. */
export function wrapConcat(text: string, max: number): string[] {
  if (text.length <= max || !text.startsWith('{') || !text.endsWith('}')) return [text];
  const parts: string[] = [];
  let depth = 0;
  let start = 1;
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start, text.length - 1).trim());
  const lines: string[] = [];
  let cur = '{';
  for (const [i, p] of parts.entries()) {
    const piece = `${p}${i === parts.length - 1 ? '}' : ','}`;
    if (cur.length > 1 && cur.length + piece.length + 1 > max) {
      lines.push(cur);
      cur = ` ${piece}`;
    } else cur = cur.length > 1 ? `${cur} ${piece}` : `${cur}${piece}`;
  }
  lines.push(cur);
  return lines;
}

/** Merges adjacent waivers: drops a `lint_on` immediately followed by a `lint_off`. */
export function mergeWaivers(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const prev = out[out.length - 1];
    if (line.trim() === LINT_OFF_UNUSED && prev?.trim() === LINT_ON_UNUSED) out.pop();
    else out.push(line);
  }
  return out;
}

/** Appends every item (a spread `push(...items)` overflows the stack for very large modules). */
export function pushAll<T>(out: T[], items: readonly T[]): void {
  for (const x of items) out.push(x);
}
