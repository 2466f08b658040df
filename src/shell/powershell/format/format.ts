/**
 * Out-Default, Format-Table, Format-List and Out-String: objects to text
 * as Windows PowerShell 5.1's formatter lays it out.
 *
 *  - A table: a blank line, the header, a line of dashes under each label,
 *    the rows, then two blank lines when the table ends. Consecutive
 *    objects with the same view share one table, even across statements of
 *    one script (the first object's shape decides, as in 5.1). A view
 *    generated from the first object (no format data for its type) takes
 *    every later object, under the first one's columns (an object without
 *    them is an empty row) — ViewGenerator.IsObjectApplicable is true
 *    without a view; a generated list lists every later object.
 *  - Scalars, property-less objects and error records are out-of-band:
 *    they print where they come and the open table or list goes on after
 *    them (InnerFormatShapeCommand.ProcessObject writes them first).
 *  - Grouped views (Get-ChildItem's `    Directory: C:\`) restart the table
 *    at each new group with its header line and two blank lines.
 *  - A list: a blank line, `Label : value` lines with labels padded to the
 *    longest, a blank line after each object.
 *  - Strings and numbers print as they are, one per line.
 *
 * Cells longer than their column end in `...` (5.1 uses three dots).
 * DECIDED: lines carry no trailing spaces. 5.1 pads table lines to the
 * console width; what users compare (Microsoft's documented examples) shows
 * none, and a terminal shows none either.
 */
import { formatErrorRecord, recordOf } from '../runtime/errors.js';
import { PSDateTime, PSHashtable, PSObject, ScriptBlock, longDate, longTime, toStr } from '../runtime/values.js';
import { cellText, listEntries, viewFor, type Column, type View } from './views.js';

const NL = '\r\n';

/** Already-formatted text (Format-Table's output): Out-Default prints it as it is. */
export class FormatText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

interface OpenTable {
  view: Extract<View, { kind: 'table' }>;
  columns: Column[];
  widths: number[] | undefined;
  group: string | undefined;
  pending: unknown[];
  /** 5.1 generated the view from the first object (its type has no format data). */
  generated: boolean;
}

/**
 * Whether 5.1 has no format data for the object's type, so its view is
 * generated: custom objects ([pscustomobject], Select-Object's
 * `Selected.*`). Other types winsilo shows with a generated layout have
 * views of their own in 5.1 (GenericMeasureInfo's list, for one), which
 * take no objects of other types.
 */
function generatedFor(v: unknown): boolean {
  return v instanceof PSObject && v.typeNames.includes('System.Management.Automation.PSCustomObject');
}

function truncate(s: string, width: number): string {
  if (s.length <= width) return s;
  if (width <= 3) return s.slice(0, width);
  return s.slice(0, width - 3) + '...';
}

function align(s: string, width: number, a: 'left' | 'right'): string {
  return a === 'right' ? s.padStart(width) : s.padEnd(width);
}

/** Column widths: declared ones, else the widest of label and values; the last column gets what is left of the line. */
function columnWidths(columns: Column[], rows: unknown[], lineWidth: number): number[] {
  const widths = columns.map((c) => {
    if (c.width !== undefined) return c.width;
    let w = c.label.length;
    for (const r of rows) for (const line of c.value(r).split('\n')) w = Math.max(w, line.length);
    return w;
  });
  let used = 0;
  for (let i = 0; i < widths.length - 1; i++) used += widths[i]! + 1;
  const last = widths.length - 1;
  if (columns[last]!.width === undefined) widths[last] = Math.max(1, Math.min(widths[last]!, lineWidth - 1 - used));
  return widths;
}

function tableLines(columns: Column[], widths: number[], rows: unknown[], header: boolean): string {
  let out = '';
  const line = (cells: string[]) => cells.join(' ').replace(/\s+$/, '') + NL;
  if (header) {
    out += line(columns.map((c, i) => align(truncate(c.label, widths[i]!), widths[i]!, c.align)));
    out += line(columns.map((c, i) => align('-'.repeat(Math.min(c.label.length, widths[i]!)), widths[i]!, c.align)));
  }
  for (const r of rows) {
    const cells = columns.map((c, i) => c.value(r).split('\n').map((l) => truncate(l, widths[i]!)));
    const height = Math.max(...cells.map((c) => c.length));
    for (let h = 0; h < height; h++) out += line(cells.map((c, i) => align(c[h] ?? '', widths[i]!, columns[i]!.align)));
  }
  return out;
}

function listBlock(entries: [string, string][]): string {
  const w = Math.max(0, ...entries.map(([l]) => l.length));
  let out = '';
  for (const [label, value] of entries) {
    const lines = value.split(/\r?\n/);
    out += `${label.padEnd(w)} : ${lines[0]}`.replace(/\s+$/, '') + NL;
    for (const l of lines.slice(1)) out += (' '.repeat(w + 3) + l).replace(/\s+$/, '') + NL;
  }
  return out;
}

/** A scalar's own text (Out-Default of a string, number, date …). */
function scalarText(v: unknown): string | undefined {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return toStr(v);
  if (v instanceof PSDateTime) return `${longDate(v.ms)} ${longTime(v.ms)}`;
  if (v instanceof ScriptBlock) return v.toString();
  if (v instanceof FormatText) return undefined;
  if (v instanceof PSObject && v.display && !v.typeNames.some((t) => t !== 'System.Object' && hasView(t)) && v.names().length === 0) return v.display();
  return undefined;
}

function hasView(t: string): boolean {
  return viewFor(new PSObject([t])).kind === 'table' && !viewFor(new PSObject([t])).key.startsWith('auto');
}

/**
 * The host's formatter state for one run (the Out-Default at the end of
 * every top-level pipeline). push() accepts objects; take() returns the
 * text ready to print; close() ends an open table.
 */
export class OutDefault {
  private buf = '';
  private table: OpenTable | undefined;
  private list = false;
  /** The open list is 5.1's generated one (an object with five or more properties and no format data). */
  private listAuto = false;

  constructor(readonly width: number) {}

  push(v: unknown): void {
    if (v === undefined) return;
    if (v instanceof PSHashtable) {
      for (const e of v.entries()) this.push(new PSObject(['System.Collections.DictionaryEntry', 'System.Object']).add('Name', e.key).add('Key', e.key).add('Value', e.value));
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) this.push(x);
      return;
    }
    if (v instanceof FormatText) {
      this.close();
      this.buf += v.text;
      return;
    }
    // Out-of-band objects — scalars (DefaultScalarTypes), property-less objects and error records — print
    // where they come without ending the open table or list (InnerFormatShapeCommand.ProcessObject writes them
    // before it looks at the view), so the table goes on after them without a new header.
    const rec = recordOf(v);
    if (rec) {
      this.drain();
      this.buf += formatErrorRecord(rec);
      return;
    }
    const s = scalarText(v);
    if (s !== undefined) {
      if (v === null) return;
      this.drain();
      this.buf += s.replace(/\r?\n/g, NL) + NL;
      return;
    }
    const view = viewFor(v);
    // A view 5.1 generated from the first object (no format data) applies to every later object
    // (ViewGenerator.IsObjectApplicable is true without a view): the open table takes the object as a
    // row under its own columns, the open list lists it too.
    if (this.table?.generated && view.kind !== 'text') {
      this.table.pending.push(v);
      return;
    }
    if (this.list && this.listAuto && view.kind !== 'text') {
      this.buf += listBlock(view.key === 'list' && view.kind === 'list' ? view.entries(v) : listEntries(v)) + NL;
      return;
    }
    if (view.kind === 'text') {
      this.close();
      this.buf += view.text(v) + NL;
      return;
    }
    if (view.kind === 'list') {
      if (this.table) this.close();
      if (!this.list) this.buf += NL;
      this.list = true;
      this.listAuto = view.key === 'list' && generatedFor(v);
      this.buf += listBlock(view.entries(v)) + NL;
      return;
    }
    if (this.list) this.close();
    const group = view.group?.of(v);
    if (this.table && (this.table.view.key !== view.key || this.table.group !== group)) {
      if (this.table.view.key === view.key && view.group) {
        // A new group of the same view: end the rows, then the new group's header.
        this.drain();
        this.buf += NL;
        this.table = { view, columns: view.columns, widths: undefined, group, pending: [], generated: false };
      } else this.close();
    }
    if (!this.table) {
      this.buf += NL;
      this.table = { view, columns: view.columns, widths: undefined, group, pending: [], generated: view.key.startsWith('auto:') && generatedFor(v) };
    }
    this.table.pending.push(v);
  }

  private drain(): void {
    const t = this.table;
    if (!t || t.pending.length === 0) return;
    let header = false;
    if (!t.widths) {
      t.widths = columnWidths(t.columns, t.pending, this.width);
      header = true;
      if (t.view.group) this.buf += `${NL}${t.view.group.label}${t.group ?? ''}${NL}${NL}${NL}`;
    }
    this.buf += tableLines(t.columns, t.widths, t.pending, header);
    t.pending = [];
  }

  /** Ends the open table or list (its trailing blank lines). */
  close(): void {
    if (this.table) {
      this.drain();
      if (this.table.widths) this.buf += NL + NL;
      this.table = undefined;
    }
    if (this.list) {
      this.buf += NL;
      this.list = false;
    }
  }

  /** The text ready so far (rows of an open table included; the table stays open). */
  take(): string {
    this.drain();
    const s = this.buf;
    this.buf = '';
    return s;
  }
}

/** Out-String / redirection: the objects as the console would show them. */
export function formatToText(items: unknown[], width: number): string {
  const f = new OutDefault(width);
  for (const i of items) f.push(i);
  f.close();
  return f.take();
}

export interface TableOptions {
  properties?: { label: string; value(o: unknown): string; width?: number; align?: 'left' | 'right' }[];
  autoSize?: boolean;
  hideTableHeaders?: boolean;
}

/** Format-Table. */
export function formatTable(items: unknown[], width: number, opts: TableOptions): FormatText {
  if (items.length === 0) return new FormatText('');
  let columns: Column[];
  if (opts.properties) {
    columns = opts.properties.map((p) => ({ label: p.label, width: p.width, align: p.align ?? (typeof (items[0] instanceof PSObject ? items[0].get(p.label) : undefined) === 'number' ? 'right' : 'left'), value: p.value }));
  } else {
    const v = viewFor(items[0] instanceof PSHashtable ? new PSObject(['System.Collections.DictionaryEntry']) : items[0]);
    if (v.kind === 'table') columns = v.columns;
    else if (items[0] instanceof PSObject) {
      const o = items[0];
      columns = o.names().map((n) => ({ label: n, align: typeof o.get(n) === 'number' ? ('right' as const) : ('left' as const), value: (x: unknown) => cellText(x instanceof PSObject ? x.get(n) : null) }));
    } else columns = [{ label: '', align: 'left', value: (x) => toStr(x) }];
  }
  const rows: unknown[] = [];
  for (const i of items) {
    if (i instanceof PSHashtable) for (const e of i.entries()) rows.push(new PSObject(['System.Collections.DictionaryEntry']).add('Name', e.key).add('Value', e.value));
    else rows.push(i);
  }
  const cols = opts.autoSize ? columns.map((c) => ({ ...c, width: undefined })) : columns;
  const widths = columnWidths(cols, rows, width);
  return new FormatText(NL + tableLines(cols, widths, rows, !opts.hideTableHeaders) + NL + NL);
}

/** Format-List. */
export function formatList(items: unknown[], properties?: string[]): FormatText {
  if (items.length === 0) return new FormatText('');
  let out = NL;
  for (const i of items) out += listBlock(listEntries(i, properties)) + NL;
  return new FormatText(out + NL);
}
