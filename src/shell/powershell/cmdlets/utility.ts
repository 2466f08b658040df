/**
 * Microsoft.PowerShell.Utility and Core: output, objects through the
 * pipeline (Select/Where/ForEach/Sort/Measure/Group), formatting, variables,
 * dates, sleeping, invoking.
 */
import { formatList, formatTable, formatToText, FormatText, type TableOptions } from '../format/format.js';
import { cellText } from '../format/views.js';
import type { CmdletCall, CmdletDef } from '../runtime/commands.js';
import { PSError, errorRecord } from '../runtime/errors.js';
import type { Runtime } from '../runtime/interpreter.js';
import { getMember, callMethod } from '../runtime/members.js';
import { compare, equals, comparisonOp, dotnetRegex, formatDate, toNumber, wildcardRegex, hasWildcard, runtimeError } from '../runtime/operators.js';
import { PSDateTime, PSHashtable, PSObject, ScriptBlock, enumerate, numberToString, toBool, toStr } from '../runtime/values.js';
import { cmdlet, p, partial, streaming, sw, str } from './define.js';

/** A property selector: a name (wildcards allowed), a script block, or @{Name=…; Expression=…}. */
interface Selector {
  label: string;
  wildcard?: RegExp;
  get(o: unknown): Promise<unknown>;
  descending?: boolean;
}

export function selectors(rt: Runtime, v: unknown): Selector[] {
  const out: Selector[] = [];
  for (const x of enumerate(v)) {
    if (x instanceof ScriptBlock) {
      out.push({ label: x.toString().trim(), get: async (o) => unwrap(await rt.invokeBlock(x, { dollarUnder: o, newScope: false })) });
    } else if (x instanceof PSHashtable) {
      const e = x.get('Expression') ?? x.get('e');
      const label = toStr(x.get('Name') ?? x.get('n') ?? x.get('Label') ?? x.get('l') ?? (e instanceof ScriptBlock ? e.toString().trim() : e));
      const desc = x.has('Descending') ? toBool(x.get('Descending')) : x.has('Ascending') ? !toBool(x.get('Ascending')) : undefined;
      out.push({
        label,
        descending: desc,
        get: async (o) => (e instanceof ScriptBlock ? unwrap(await rt.invokeBlock(e, { dollarUnder: o, newScope: false })) : getMember(o, toStr(e))),
      });
    } else {
      const name = toStr(x);
      out.push({ label: name, wildcard: hasWildcard(name) ? wildcardRegex(name) : undefined, get: async (o) => getMember(o, name) });
    }
  }
  return out;
}

function unwrap(items: unknown[]): unknown {
  return items.length === 0 ? null : items.length === 1 ? items[0] : items;
}

function propertyNames(o: unknown): string[] {
  if (o instanceof PSObject) return o.names();
  if (o instanceof PSHashtable) return ['IsReadOnly', 'IsFixedSize', 'IsSynchronized', 'Keys', 'Values', 'SyncRoot', 'Count'];
  if (typeof o === 'string') return ['Length'];
  return [];
}

function typeNamesOf(o: unknown): string[] {
  return o instanceof PSObject ? o.typeNames : [];
}

export function utilityCmdlets(rt: Runtime): CmdletDef[] {
  const host = rt.host;
  return [
    streaming('Write-Output', [{ name: 'InputObject', position: 0, remaining: true }, sw('NoEnumerate')], {
      process: async (c, item) => {
        if (item !== undefined) return c.emit(item);
        if (!c.has('InputObject')) return;
        const vals = enumerate(c.get('InputObject'));
        for (const v of vals) {
          if (c.flag('NoEnumerate')) await c.emit(v);
          else for (const x of enumerate(v)) await c.emit(x);
        }
      },
    }),
    streaming('Write-Host', [{ name: 'Object', position: 0, remaining: true }, sw('NoNewline'), p('Separator'), p('ForegroundColor'), p('BackgroundColor')], {
      process: async (c, item) => {
        const objs = item !== undefined ? [item] : c.has('Object') ? enumerate(c.get('Object')) : [];
        const sep = c.has('Separator') ? toStr(c.get('Separator')) : ' ';
        const text = objs.map((o) => (Array.isArray(o) ? o.map(toStr).join(sep) : toStr(o))).join(sep);
        await host.flush();
        await host.write(text + (c.flag('NoNewline') ? '' : '\r\n'));
      },
    }),
    cmdlet('Write-Error', [p('Message', 0, ['Msg']), p('Category'), p('ErrorId'), p('TargetObject'), p('Exception'), p('ErrorRecord'), p('CategoryReason'), p('RecommendedAction')], async (c) => {
      const message = c.has('Message') ? toStr(c.get('Message')) : c.has('Exception') ? toStr(c.get('Exception')) : c.input.map(toStr).join(' ');
      const inv = rt.currentInvocation();
      const rec = errorRecord({
        message,
        category: c.has('Category') ? toStr(c.get('Category')) : 'NotSpecified',
        reason: 'WriteErrorException',
        exceptionType: 'Microsoft.PowerShell.Commands.WriteErrorException',
        activity: 'Write-Error',
        targetName: c.has('TargetObject') ? toStr(c.get('TargetObject')) : '',
        targetType: c.has('TargetObject') ? 'String' : '',
        id: c.has('ErrorId') ? toStr(c.get('ErrorId')) : 'Microsoft.PowerShell.Commands.WriteErrorException' + (inv ? ',' + inv.name : ''),
        commandName: inv ? inv.name : rt.source.text.split(/\r?\n/)[0] ?? '',
      });
      if (inv) rec.position = { source: inv.source, ext: inv.ext };
      await rt.writeError(rec, c.get('ErrorAction'));
    }),
    cmdlet('Write-Warning', [p('Message', 0)], async (c) => {
      const pref = toStr(c.get('WarningAction') ?? rt.getVar('WarningPreference')).toLowerCase();
      if (pref === 'silentlycontinue' || pref === 'ignore') return;
      await host.flush();
      await host.write(`WARNING: ${toStr(c.get('Message') ?? c.input.map(toStr).join(' '))}\r\n`);
    }),
    cmdlet('Write-Verbose', [p('Message', 0)], async (c) => {
      if (c.flag('Verbose') || toStr(rt.getVar('VerbosePreference')).toLowerCase() === 'continue') await host.write(`VERBOSE: ${toStr(c.get('Message'))}\r\n`);
    }),
    cmdlet('Write-Debug', [p('Message', 0)], async (c) => {
      if (c.flag('Debug') || toStr(rt.getVar('DebugPreference')).toLowerCase() === 'continue') await host.write(`DEBUG: ${toStr(c.get('Message'))}\r\n`);
    }),
    cmdlet('Write-Information', [p('MessageData', 0)], async () => {}, partial('information stream not shown (InformationPreference SilentlyContinue)')),
    cmdlet('Write-Progress', [p('Activity', 0), p('Status', 1), p('PercentComplete'), p('Id'), sw('Completed'), p('CurrentOperation')], async () => {}, partial('no progress display')),
    streaming(
      'Where-Object',
      [
        { name: 'FilterScript', position: 0 },
        p('Property'),
        { name: 'Value', position: 1 },
        p('InputObject'),
        ...['EQ', 'NE', 'GT', 'GE', 'LT', 'LE', 'Like', 'NotLike', 'Match', 'NotMatch', 'Contains', 'NotContains', 'In', 'NotIn', 'Is', 'IsNot', 'CEQ', 'CNE', 'CLike', 'CMatch', 'Not'].map((n) => sw(n)),
      ],
      {
        process: async (c, item) => {
          const items = item !== undefined ? [item] : c.has('InputObject') ? [c.get('InputObject')] : [];
          const f = c.get('FilterScript');
          for (const it of items) {
            let ok: boolean;
            if (f instanceof ScriptBlock) ok = toBool(unwrap(await rt.invokeBlock(f, { dollarUnder: it, newScope: false })));
            else {
              const prop = toStr(c.get('Property') ?? f);
              const v = getMember(it, prop);
              const ops = ['EQ', 'NE', 'GT', 'GE', 'LT', 'LE', 'Like', 'NotLike', 'Match', 'NotMatch', 'Contains', 'NotContains', 'In', 'NotIn', 'Is', 'IsNot', 'CEQ', 'CNE', 'CLike', 'CMatch'];
              const op = ops.find((o) => c.flag(o));
              if (c.flag('Not')) ok = !toBool(v);
              else if (!op) ok = toBool(v);
              else ok = toBool(comparisonOp(op.toLowerCase(), v, c.get('Value'), { setMatches: () => {} }));
            }
            if (ok) await c.emit(it);
          }
        },
      },
    ),
    streaming('ForEach-Object', [{ name: 'Process', position: 0, remaining: true }, p('Begin'), p('End'), p('MemberName'), p('InputObject'), { name: 'ArgumentList', aliases: ['Args'] }], {
      begin: async (c) => {
        const b = c.get('Begin');
        if (b instanceof ScriptBlock) for (const x of await rt.invokeBlock(b, { newScope: false })) await c.emit(x);
      },
      process: async (c, item) => {
        const items = item !== undefined ? [item] : c.has('InputObject') ? [c.get('InputObject')] : c.expectingInput ? [] : [undefined];
        const procs = c.has('Process') ? enumerate(c.get('Process')) : c.has('MemberName') ? [toStr(c.get('MemberName'))] : [];
        for (const it of items) {
          for (const pr of procs) {
            if (pr instanceof ScriptBlock) {
              await rt.invokeBlock(pr, { dollarUnder: it ?? null, newScope: false, emit: c.emit });
            } else {
              const name = toStr(pr);
              const v = getMember(it, name);
              if (v !== null || (it instanceof PSObject && it.has(name))) {
                for (const x of enumerate(v)) await c.emit(x);
              } else if (it !== null && it !== undefined) {
                const r = await callMethod(it, name, enumerate(c.get('ArgumentList') ?? []), rt).catch((e) => {
                  if (e instanceof PSError && e.record.fullyQualifiedErrorId === 'MethodNotFound') return undefined;
                  throw e;
                });
                if (r !== undefined) for (const x of enumerate(r)) await c.emit(x);
              }
            }
          }
        }
      },
      end: async (c) => {
        const e = c.get('End');
        if (e instanceof ScriptBlock) for (const x of await rt.invokeBlock(e, { newScope: false })) await c.emit(x);
      },
    }),
    cmdlet(
      'Select-Object',
      [p('Property', 0), p('ExcludeProperty'), p('ExpandProperty'), sw('Unique'), p('First'), p('Last'), p('Skip'), p('Index'), p('InputObject'), sw('Wait')],
      async (c) => {
        let items = c.has('InputObject') && !c.expectingInput ? enumerate(c.get('InputObject')) : c.input;
        if (c.has('Index')) items = enumerate(c.get('Index')).map((i) => items[toNumber(i)]).filter((x) => x !== undefined);
        if (c.has('Skip')) items = items.slice(toNumber(c.get('Skip')));
        if (c.has('First') || c.has('Last')) {
          const first = c.has('First') ? items.slice(0, toNumber(c.get('First'))) : [];
          const last = c.has('Last') ? items.slice(Math.max(0, items.length - toNumber(c.get('Last')))) : [];
          items = c.has('First') && c.has('Last') ? [...first, ...last] : c.has('First') ? first : last;
        }
        const sels = c.has('Property') ? selectors(rt, c.get('Property')) : [];
        const exclude = (c.strings('ExcludeProperty') ?? []).map((x) => wildcardRegex(x));
        let out: unknown[] = [];
        for (const it of items) {
          if (sels.length === 0 && !c.has('ExpandProperty')) {
            out.push(it);
            continue;
          }
          if (c.has('ExpandProperty')) {
            const v = getMember(it, toStr(c.get('ExpandProperty')));
            if (v === null && !(it instanceof PSObject && it.has(toStr(c.get('ExpandProperty'))))) {
              await c.error({ message: `Property "${toStr(c.get('ExpandProperty'))}" cannot be found.`, category: 'InvalidArgument', targetName: toStr(it), targetType: 'PSObject', reason: 'PSArgumentException', id: 'ExpandPropertyNotFound' });
              continue;
            }
            out.push(...enumerate(v));
            continue;
          }
          const typeNames = typeNamesOf(it);
          const o = new PSObject([...(typeNames[0] ? ['Selected.' + typeNames[0]] : []), 'System.Management.Automation.PSCustomObject', 'System.Object']);
          for (const s of sels) {
            if (s.wildcard) {
              for (const n of propertyNames(it)) if (s.wildcard.test(n) && !exclude.some((e) => e.test(n))) o.add(n, getMember(it, n));
            } else o.add(s.label, await s.get(it));
          }
          out.push(o);
        }
        if (c.flag('Unique')) {
          const seen: unknown[] = [];
          out = out.filter((x) => {
            const key = x instanceof PSObject ? x.names().map((n) => toStr(x.get(n))).join('\u0000') : x;
            if (seen.some((s) => equals(s, key, false))) return false;
            seen.push(key);
            return true;
          });
        }
        for (const x of out) await c.emit(x);
      },
    ),
    cmdlet('Sort-Object', [p('Property', 0), sw('Descending'), sw('Unique'), sw('CaseSensitive'), p('InputObject')], async (c) => {
      const sels = c.has('Property') ? selectors(rt, c.get('Property')) : [];
      const desc = c.flag('Descending');
      const ci = !c.flag('CaseSensitive');
      const keyed: { item: unknown; keys: unknown[]; i: number }[] = [];
      let i = 0;
      for (const it of c.input) keyed.push({ item: it, keys: sels.length ? await Promise.all(sels.map((s) => s.get(it))) : [it], i: i++ });
      keyed.sort((a, b) => {
        for (let k = 0; k < a.keys.length; k++) {
          const d = sels[k]?.descending ?? desc;
          const r = compare(a.keys[k], b.keys[k], ci);
          if (r !== 0) return d ? -r : r;
        }
        return a.i - b.i;
      });
      let out = keyed;
      if (c.flag('Unique')) out = keyed.filter((x, j) => j === 0 || !x.keys.every((k, n) => equals(k, keyed[j - 1]!.keys[n], ci)));
      for (const x of out) await c.emit(x.item);
    }),
    cmdlet('Measure-Object', [p('Property', 0), sw('Sum'), sw('Average'), sw('Maximum'), sw('Minimum'), sw('Line'), sw('Word'), sw('Character'), sw('IgnoreWhiteSpace'), p('InputObject')], async (c) => {
      const items = c.input;
      if (c.flag('Line') || c.flag('Word') || c.flag('Character')) {
        const text = items.map(toStr);
        const o = new PSObject(['Microsoft.PowerShell.Commands.TextMeasureInfo', 'System.Object']);
        o.add('Lines', c.flag('Line') ? text.reduce((n, t) => n + t.split(/\r?\n/).length, 0) : null);
        o.add('Words', c.flag('Word') ? text.reduce((n, t) => n + t.split(/\s+/).filter(Boolean).length, 0) : null);
        o.add('Characters', c.flag('Character') ? text.reduce((n, t) => n + t.length, 0) : null);
        o.add('Property', null);
        return c.emit(o);
      }
      const prop = c.has('Property') ? toStr(c.get('Property')) : undefined;
      const values = items.map((x) => (prop ? getMember(x, prop) : x));
      const nums = () => values.map((v) => toNumber(v, 'System.Double'));
      const o = new PSObject(['Microsoft.PowerShell.Commands.GenericMeasureInfo', 'System.Object']);
      o.add('Count', values.length);
      o.add('Average', c.flag('Average') ? (values.length ? nums().reduce((a, b) => a + b, 0) / values.length : null) : null);
      o.add('Sum', c.flag('Sum') ? nums().reduce((a, b) => a + b, 0) : null);
      o.add('Maximum', c.flag('Maximum') ? values.reduce((a: unknown, b) => (a === undefined || compare(b, a) > 0 ? b : a), undefined) ?? null : null);
      o.add('Minimum', c.flag('Minimum') ? values.reduce((a: unknown, b) => (a === undefined || compare(b, a) < 0 ? b : a), undefined) ?? null : null);
      o.add('Property', prop ?? null);
      await c.emit(o);
    }),
    cmdlet('Group-Object', [p('Property', 0), sw('NoElement'), sw('AsHashTable'), sw('AsString'), sw('CaseSensitive')], async (c) => {
      const sels = c.has('Property') ? selectors(rt, c.get('Property')) : [];
      const groups: { name: string; items: unknown[] }[] = [];
      for (const it of c.input) {
        const keys = sels.length ? await Promise.all(sels.map((s) => s.get(it))) : [it];
        const name = keys.map(toStr).join(', ');
        const g = groups.find((x) => (c.flag('CaseSensitive') ? x.name === name : x.name.toLowerCase() === name.toLowerCase()));
        if (g) g.items.push(it);
        else groups.push({ name, items: [it] });
      }
      if (c.flag('AsHashTable')) {
        const h = new PSHashtable();
        for (const g of groups) h.set(g.name, g.items.length === 1 ? g.items[0] : g.items);
        return c.emit(h);
      }
      for (const g of groups) {
        const o = new PSObject(['Microsoft.PowerShell.Commands.GroupInfo', 'System.Object']);
        o.add('Count', g.items.length).add('Name', g.name);
        if (!c.flag('NoElement')) o.add('Group', g.items);
        o.add('Values', [g.name]);
        await c.emit(o);
      }
    }),
    cmdlet('Format-Table', [p('Property', 0), sw('AutoSize'), sw('HideTableHeaders'), sw('Wrap'), p('GroupBy'), p('InputObject')], async (c) => {
      const opts: TableOptions = { autoSize: c.flag('AutoSize'), hideTableHeaders: c.flag('HideTableHeaders') };
      const items = c.has('InputObject') && !c.expectingInput ? enumerate(c.get('InputObject')) : c.input;
      if (c.has('Property')) {
        const sels = selectors(rt, c.get('Property'));
        const first = items[0];
        const props: NonNullable<TableOptions['properties']> = [];
        const cache = new Map<unknown, Map<string, string>>();
        for (const s of sels) {
          const labels = s.wildcard ? propertyNames(first).filter((n) => s.wildcard!.test(n)) : [s.label];
          for (const label of labels) {
            const sel = s.wildcard ? { get: async (o: unknown) => getMember(o, label) } : s;
            for (const it of items) {
              let m = cache.get(it);
              if (!m) cache.set(it, (m = new Map()));
              m.set(label, cellText(await sel.get(it)));
            }
            props.push({ label, value: (o) => cache.get(o)?.get(label) ?? '' });
          }
        }
        opts.properties = props;
        opts.autoSize = true;
      }
      await c.emit(formatTable(items, host.width, opts));
    }),
    cmdlet('Format-List', [p('Property', 0), p('InputObject')], async (c) => {
      const items = c.has('InputObject') && !c.expectingInput ? enumerate(c.get('InputObject')) : c.input;
      const props = c.strings('Property');
      if (props && props.length === 1 && props[0] === '*') return c.emit(formatList(items, undefined));
      if (props) {
        const expanded = items.map((it) => {
          const names: string[] = [];
          for (const pn of props) {
            if (hasWildcard(pn)) names.push(...propertyNames(it).filter((n) => wildcardRegex(pn).test(n)));
            else names.push(pn);
          }
          return names;
        });
        let out = '\r\n';
        for (let i = 0; i < items.length; i++) out += formatList([items[i]], expanded[i]).text.slice(2, -2);
        return c.emit(new FormatText(out + '\r\n'));
      }
      await c.emit(formatList(items));
    }),
    cmdlet('Format-Wide', [p('Property', 0), p('Column'), sw('AutoSize')], async (c) => {
      const prop = c.has('Property') ? toStr(c.get('Property')) : 'Name';
      const names = c.input.map((x) => (x instanceof PSObject ? toStr(x.get(prop)) : toStr(x)));
      const cols = c.has('Column') ? toNumber(c.get('Column')) : 2;
      const w = Math.floor(host.width / cols) - 1;
      let out = '\r\n';
      for (let i = 0; i < names.length; i += cols) out += names.slice(i, i + cols).map((n) => n.padEnd(w)).join(' ').trimEnd() + '\r\n';
      await c.emit(new FormatText(out + '\r\n\r\n'));
    }),
    cmdlet('Out-String', [sw('Stream'), p('Width'), p('InputObject')], async (c) => {
      const items = c.has('InputObject') && !c.expectingInput ? enumerate(c.get('InputObject')) : c.input;
      const text = formatToText(items, c.has('Width') ? toNumber(c.get('Width')) : host.width);
      if (c.flag('Stream')) {
        const lines = text.split('\r\n');
        if (lines[lines.length - 1] === '') lines.pop();
        for (const l of lines) await c.emit(l);
      } else await c.emit(text);
    }),
    cmdlet('Out-Null', [p('InputObject')], async () => {}),
    cmdlet('Out-Host', [sw('Paging'), p('InputObject')], async (c) => {
      for (const x of c.input) await host.out(x);
    }),
    cmdlet('Out-Default', [p('InputObject')], async (c) => {
      for (const x of c.input) await host.out(x);
    }),
    cmdlet('Get-Date', [p('Date', 0), p('Format'), p('UFormat'), p('Year'), p('Month'), p('Day'), p('Hour'), p('Minute'), p('Second')], async (c) => {
      let ms = c.has('Date') ? (c.get('Date') instanceof PSDateTime ? (c.get('Date') as PSDateTime).ms : Date.parse(toStr(c.get('Date')) + ' UTC')) : rt.now();
      if (Number.isNaN(ms)) throw c.fail({ message: `Cannot bind parameter 'Date'. Cannot convert value "${toStr(c.get('Date'))}" to type "System.DateTime". Error: "String was not recognized as a valid DateTime."`, category: 'InvalidArgument', reason: 'ParameterBindingException', id: 'CannotConvertArgumentNoMessage' });
      const d = new Date(ms);
      if (c.has('Year')) d.setUTCFullYear(toNumber(c.get('Year')));
      if (c.has('Month')) d.setUTCMonth(toNumber(c.get('Month')) - 1);
      if (c.has('Day')) d.setUTCDate(toNumber(c.get('Day')));
      if (c.has('Hour')) d.setUTCHours(toNumber(c.get('Hour')));
      if (c.has('Minute')) d.setUTCMinutes(toNumber(c.get('Minute')));
      if (c.has('Second')) d.setUTCSeconds(toNumber(c.get('Second')));
      ms = d.getTime();
      if (c.has('Format')) return c.emit(formatDate(ms, toStr(c.get('Format'))));
      if (c.has('UFormat')) {
        const f = toStr(c.get('UFormat'));
        return c.emit(
          f.replace(/%([a-zA-Z%])/g, (_m, k: string) => {
            const map: Record<string, string> = { Y: 'yyyy', y: 'yy', m: 'MM', d: 'dd', H: 'HH', M: 'mm', S: 'ss', A: 'dddd', a: 'ddd', B: 'MMMM', b: 'MMM', I: 'hh', p: 'tt' };
            if (k === '%') return '%';
            if (k === 's') return String(Math.floor(ms / 1000));
            return map[k] ? formatDate(ms, map[k]!) : k;
          }),
        );
      }
      await c.emit(new PSDateTime(ms));
    }),
    cmdlet('Start-Sleep', [p('Seconds', 0, ['s']), p('Milliseconds', undefined, ['ms'])], async (c) => {
      const ms = c.has('Milliseconds') ? toNumber(c.get('Milliseconds')) : toNumber(c.get('Seconds') ?? 0) * 1000;
      await host.flush();
      // In slices, so Ctrl+C (checked at each step) ends a long sleep.
      for (let left = ms; left > 0; left -= 250) {
        await rt.ctx.sleep(Math.min(250, left));
        rt.step();
      }
    }),
    cmdlet('Get-Variable', [p('Name', 0), sw('ValueOnly'), p('Scope')], async (c) => {
      const names = c.strings('Name');
      const vars = rt.variables().sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
      if (!names) {
        for (const v of vars) await c.emit(c.flag('ValueOnly') ? v.value : variableObject(v.name, v.value));
        return;
      }
      for (const n of names) {
        const re = wildcardRegex(n);
        const found = vars.filter((v) => re.test(v.name));
        if (found.length === 0 && !hasWildcard(n)) {
          await c.error({ message: `Cannot find a variable with the name '${n}'.`, category: 'ObjectNotFound', targetName: n, reason: 'ItemNotFoundException', id: 'VariableNotFound' });
        }
        for (const v of found) await c.emit(c.flag('ValueOnly') ? v.value : variableObject(v.name, v.value));
      }
    }),
    cmdlet('Set-Variable', [p('Name', 0), p('Value', 1), p('Scope'), sw('PassThru'), p('Option')], async (c) => {
      const value = c.has('Value') ? c.get('Value') : c.input.length ? unwrap(c.input) : null;
      for (const n of c.strings('Name') ?? []) rt.setVar(c.has('Scope') && /global/i.test(toStr(c.get('Scope'))) ? 'global:' + n : n, value);
    }),
    cmdlet('New-Variable', [p('Name', 0), p('Value', 1), p('Scope'), p('Option'), sw('Force')], async (c) => {
      const n = toStr(c.get('Name'));
      if (rt.hasVar(n) && !c.flag('Force')) {
        throw c.fail({ message: `A variable with name '${n}' already exists.`, category: 'ResourceExists', targetName: n, reason: 'SessionStateException', id: 'VariableAlreadyExists' });
      }
      rt.setVar(n, c.get('Value') ?? null);
    }),
    cmdlet('Remove-Variable', [p('Name', 0), p('Scope'), sw('Force')], async (c) => {
      for (const n of c.strings('Name') ?? []) {
        if (!rt.removeVar(n)) await c.error({ message: `Cannot find a variable with the name '${n}'.`, category: 'ObjectNotFound', targetName: n, reason: 'ItemNotFoundException', id: 'VariableNotFound' });
      }
    }),
    cmdlet('Clear-Variable', [p('Name', 0)], async (c) => {
      for (const n of c.strings('Name') ?? []) rt.setVar(n, null);
    }),
    cmdlet('New-Object', [p('TypeName', 0), { name: 'ArgumentList', position: 1, aliases: ['Args'] }, p('Property'), p('ComObject')], async (c) => {
      if (c.has('ComObject')) {
        throw c.fail({ message: `Retrieving the COM class factory for component with CLSID {00000000-0000-0000-0000-000000000000} failed due to the following error: 80040154 Class not registered (Exception from HRESULT: 0x80040154 (REGDB_E_CLASSNOTREG)).`, reason: 'COMException', category: 'ResourceUnavailable', id: 'NoCOMClassIdentified' });
      }
      const t = toStr(c.get('TypeName')).toLowerCase().replace(/^system\./, '');
      if (t === 'psobject' || t === 'object' || t === 'management.automation.psobject' || t === 'pscustomobject') {
        const o = new PSObject();
        const props = c.get('Property');
        if (props instanceof PSHashtable) for (const e of props.entries()) o.add(toStr(e.key), e.value);
        return c.emit(o);
      }
      if (t === 'collections.arraylist' || t.startsWith('collections.generic.list')) {
        const l = newList();
        if (t !== 'collections.arraylist') (l as unknown[] & { growable?: boolean | 'generic' }).growable = 'generic';
        return c.emit(l);
      }
      if (t === 'collections.hashtable') return c.emit(new PSHashtable());
      if (t === 'net.webclient') {
        // DECIDED: no network reaches programs yet (issue 10): every download fails as a failed name lookup does.
        const fail = (method: string) => (args: unknown[]) => {
          const host = /^[a-z]+:\/\/([^/:]+)/i.exec(toStr(args[0]))?.[1] ?? toStr(args[0]);
          throw new PSError(errorRecord({ message: `Exception calling "${method}" with "${args.length}" argument(s): "The remote name could not be resolved: '${host}'"`, category: 'NotSpecified', reason: 'MethodInvocationException', id: 'WebException' }));
        };
        const wc = new PSObject(['System.Net.WebClient', 'System.ComponentModel.Component', 'System.Object'], () => 'System.Net.WebClient');
        wc.add('Headers', new PSHashtable()).add('Proxy', null).add('Encoding', 'System.Text.SBCSCodePageEncoding');
        wc.method('DownloadString', fail('DownloadString')).method('DownloadFile', fail('DownloadFile')).method('DownloadData', fail('DownloadData')).method('UploadString', fail('UploadString'));
        return c.emit(wc);
      }
      if (t === 'text.stringbuilder') return c.emit(stringBuilder());
      if (t === 'datetime') {
        const a = enumerate(c.get('ArgumentList') ?? []).map((x) => toNumber(x));
        return c.emit(new PSDateTime(Date.UTC(a[0] ?? 1, (a[1] ?? 1) - 1, a[2] ?? 1, a[3] ?? 0, a[4] ?? 0, a[5] ?? 0)));
      }
      throw c.fail({
        message: `Cannot find type [${toStr(c.get('TypeName'))}]: verify that the assembly containing this type is loaded.`,
        category: 'InvalidType',
        reason: 'PSArgumentException',
        id: 'TypeNotFound',
      });
    }, partial('PSObject, ArrayList, List[T], Hashtable, StringBuilder, DateTime')),
    cmdlet('Invoke-Expression', [p('Command', 0)], async (c) => {
      const text = toStr(c.get('Command') ?? unwrap(c.input));
      const { parseScript } = await import('../parser/parser.js');
      const { ParseError } = await import('../parser/errors.js');
      let ast;
      try {
        ast = parseScript(text);
      } catch (e) {
        if (e instanceof ParseError) {
          const rec = errorRecord({ message: e.message, category: 'ParserError', reason: 'ParentContainsErrorRecordException', id: e.errorId });
          (rec as { parseError?: boolean }).parseError = true;
          rec.position = { source: { text }, ext: { start: e.offset, end: e.offset + e.length } };
          throw new PSError(rec);
        }
        throw e;
      }
      await rt.invokeBlock(new ScriptBlock(ast, { text }), { newScope: false, emit: c.emit });
    }),
    cmdlet('Invoke-Command', [p('ScriptBlock', 0), p('ArgumentList', undefined, ['Args']), p('ComputerName'), sw('NoNewScope')], async (c) => {
      const sb = c.get('ScriptBlock');
      if (!(sb instanceof ScriptBlock)) throw c.fail({ message: 'Cannot bind parameter ScriptBlock.', category: 'InvalidArgument', reason: 'ParameterBindingException', id: 'CannotConvertArgument' });
      await rt.invokeBlock(sb, { args: enumerate(c.get('ArgumentList') ?? []), newScope: !c.flag('NoNewScope'), emit: c.emit, input: c.input });
    }, partial('local only; -ComputerName is not supported')),
    cmdlet('Read-Host', [p('Prompt', 0), sw('AsSecureString')], async (c) => {
      if (c.has('Prompt')) await host.write(toStr(c.get('Prompt')) + ': ');
      const line = await rt.ctx.stdin.readLine();
      await c.emit(line ?? '');
    }),
    cmdlet('Clear-Host', [], async () => {
      if (rt.ctx.stdout.isConsole) await host.write('\x1b[2J\x1b[H');
    }),
    cmdlet('Get-Random', [p('Maximum', 0), p('Minimum'), p('InputObject'), p('Count'), p('SetSeed')], async (c) => {
      // DECIDED: a linear congruential generator seeded from the kernel clock (style: no unseeded randomness).
      rt.randomState = c.has('SetSeed') ? toNumber(c.get('SetSeed')) : rt.randomState || rt.now() % 2147483647 || 1;
      const next = () => (rt.randomState = (rt.randomState * 48271) % 2147483647) / 2147483647;
      const pool = c.has('InputObject') ? enumerate(c.get('InputObject')) : c.input;
      if (pool.length) {
        const n = c.has('Count') ? toNumber(c.get('Count')) : 1;
        const copy = [...pool];
        for (let i = 0; i < n && copy.length; i++) await c.emit(copy.splice(Math.floor(next() * copy.length), 1)[0]);
        return;
      }
      const min = c.has('Minimum') ? toNumber(c.get('Minimum')) : 0;
      const max = c.has('Maximum') ? toNumber(c.get('Maximum')) : 2147483647;
      await c.emit(Math.floor(min + next() * (max - min)));
    }),
    streaming('Select-String', [p('Pattern', 0), p('Path', 1), p('InputObject'), sw('SimpleMatch'), sw('CaseSensitive'), sw('NotMatch'), sw('Quiet'), sw('List'), p('Context')], {
      process: async (c, item) => {
        const patterns = c.strings('Pattern') ?? [];
        const test = (line: string) =>
          patterns.some((pt) => (c.flag('SimpleMatch') ? (c.flag('CaseSensitive') ? line.includes(pt) : line.toLowerCase().includes(pt.toLowerCase())) : dotnetRegex(pt, !c.flag('CaseSensitive')).test(line))) !== c.flag('NotMatch');
        const emitMatch = async (line: string, n: number, path: string) => {
          if (c.flag('Quiet')) {
            c.state.found = true;
            return;
          }
          const shown = path === 'InputStream' ? line : `${path}:${n}:${line}`;
          const o = new PSObject(['Microsoft.PowerShell.Commands.MatchInfo', 'System.Object'], () => shown);
          o.add('IgnoreCase', !c.flag('CaseSensitive')).add('LineNumber', n).add('Line', line).add('Filename', path === 'InputStream' ? 'InputStream' : path.slice(path.lastIndexOf('\\') + 1)).add('Path', path).add('Pattern', patterns[0] ?? '');
          await c.emit(o);
        };
        if (item !== undefined || c.has('InputObject')) {
          const line = toStr(item !== undefined ? item : c.get('InputObject'));
          c.state.n = ((c.state.n as number) ?? 0) + 1;
          if (test(line)) await emitMatch(line, c.state.n as number, 'InputStream');
          return;
        }
        for (const path of c.strings('Path') ?? []) {
          const full = rt.fullPath(path);
          let text: string;
          try {
            text = rt.readFile(full);
          } catch {
            await c.error({ message: `Cannot find path '${full}' because it does not exist.`, category: 'ObjectNotFound', targetName: full, reason: 'ItemNotFoundException', id: 'PathNotFound' });
            continue;
          }
          const ls = text.split(/\r?\n/);
          if (ls[ls.length - 1] === '') ls.pop();
          for (let i = 0; i < ls.length; i++) if (test(ls[i]!)) await emitMatch(ls[i]!, i + 1, full);
        }
      },
      end: async (c) => {
        if (c.flag('Quiet')) await c.emit(c.state.found === true);
      },
    }),
    cmdlet('Join-String', [p('Separator', 0)], async (c) => c.emit(c.input.map(toStr).join(toStr(c.get('Separator') ?? ''))), partial('PowerShell 7 cmdlet, kept for convenience')),
    cmdlet('Set-StrictMode', [p('Version'), sw('Off')], async () => {}, partial('accepted; strict mode is not enforced')),
    cmdlet('Import-Module', [p('Name', 0), sw('Force'), sw('PassThru')], async (c) => {
      for (const n of c.strings('Name') ?? []) {
        if (!/^(ServerManager|Microsoft\.PowerShell\.\w+|NetTCPIP|WebAdministration|IISAdministration|Dism|PKI)$/i.test(n)) {
          await c.error({
            message: `The specified module '${n}' was not loaded because no valid module file was found in any module directory.`,
            category: 'ResourceUnavailable',
            targetName: n,
            reason: 'FileNotFoundException',
            id: 'Modules_ModuleNotFound',
          });
        }
      }
    }, partial('known system modules load silently; others are not found')),
    cmdlet('Get-Member', [p('Name', 0), p('MemberType'), sw('Force')], async (c) => {
      const seen = new Set<string>();
      for (const it of c.input) {
        const t = it instanceof PSObject ? it.typeName : typeof it === 'string' ? 'System.String' : typeof it === 'number' ? 'System.Int32' : 'System.Object';
        if (seen.has(t)) continue;
        seen.add(t);
        let out = `\r\n\r\n   TypeName: ${t}\r\n\r\n`;
        const rows: [string, string, string][] = [];
        if (it instanceof PSObject) for (const n of it.names()) rows.push([n, 'NoteProperty', `${typeof it.get(n) === 'number' ? 'int' : 'string'} ${n}=${cellText(it.get(n))}`]);
        if (typeof it === 'string') rows.push(['Length', 'Property', 'int Length {get;}']);
        const w = Math.max(4, ...rows.map((r) => r[0].length));
        out += `${'Name'.padEnd(w)} MemberType   Definition\r\n${'----'.padEnd(w)} ----------   ----------\r\n`;
        for (const r of rows) out += `${r[0].padEnd(w)} ${r[1].padEnd(12)} ${r[2]}`.trimEnd() + '\r\n';
        await c.emit(new FormatText(out + '\r\n\r\n'));
      }
    }, partial('note properties only')),
    cmdlet('ConvertTo-Json', [p('InputObject', 0), p('Depth'), sw('Compress')], async (c) => {
      const items = c.has('InputObject') ? enumerate(c.get('InputObject')) : c.input;
      const depth = c.has('Depth') ? toNumber(c.get('Depth')) : 2;
      const v = items.length === 1 ? items[0] : items;
      await c.emit(toJson(v, depth, c.flag('Compress'), 0));
    }, partial('5.1 layout approximated with two-space indentation')),
    cmdlet('ConvertFrom-Json', [p('InputObject', 0)], async (c) => {
      const text = c.has('InputObject') ? toStr(c.get('InputObject')) : c.input.map(toStr).join('\n');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw c.fail({ message: 'Invalid JSON primitive: .', category: 'NotSpecified', reason: 'ArgumentException', id: 'System.ArgumentException' });
      }
      const conv = (x: unknown): unknown => {
        if (Array.isArray(x)) return x.map(conv);
        if (x && typeof x === 'object') {
          const o = new PSObject();
          for (const [k, val] of Object.entries(x)) o.add(k, conv(val));
          return o;
        }
        return x;
      };
      const r = conv(parsed);
      if (Array.isArray(r)) await c.emit(r);
      else await c.emit(r);
    }),
  ];
}

function toJson(v: unknown, depth: number, compress: boolean, level: number): string {
  const ind = (n: number) => (compress ? '' : '\r\n' + '    '.repeat(n));
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof PSDateTime) return JSON.stringify(`/Date(${v.ms})/`);
  if (level > depth) return JSON.stringify(toStr(v));
  if (Array.isArray(v)) {
    if (v.length === 0) return '[' + (compress ? '' : '\r\n' + '    '.repeat(level)) + ']';
    return '[' + v.map((x) => ind(level + 1) + toJson(x, depth, compress, level + 1)).join(',') + ind(level) + ']';
  }
  const entries: [string, unknown][] = v instanceof PSHashtable ? v.entries().map((e) => [toStr(e.key), e.value]) : v instanceof PSObject ? v.names().map((n) => [n, v.get(n)]) : [];
  if (entries.length === 0) return compress ? '{}' : '{\r\n\r\n' + '    '.repeat(level) + '}';
  return '{' + entries.map(([k, x]) => ind(level + 1) + JSON.stringify(k) + (compress ? ':' : ':  ') + toJson(x, depth, compress, level + 1)).join(',') + ind(level) + '}';
}

function variableObject(name: string, value: unknown): PSObject {
  return new PSObject(['System.Management.Automation.PSVariable', 'System.Object'], () => name).add('Name', name).add('Value', value);
}

/** System.Collections.ArrayList / List[T]: a growable array (Add returns the new index). */
export function newList(): unknown[] {
  const a: unknown[] = [];
  (a as unknown[] & { growable?: boolean }).growable = true;
  return a;
}

function stringBuilder(): PSObject {
  let s = '';
  const o = new PSObject(['System.Text.StringBuilder', 'System.Object'], () => s);
  o.addGetter('Length', () => s.length);
  o.method('Append', (a) => {
    s += toStr(a[0]);
    return o;
  });
  o.method('AppendLine', (a) => {
    s += (a.length ? toStr(a[0]) : '') + '\r\n';
    return o;
  });
  o.method('ToString', () => s);
  o.method('Clear', () => {
    s = '';
    return o;
  });
  return o;
}

export { runtimeError, str };
