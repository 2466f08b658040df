/**
 * ErrorRecord and how Windows PowerShell 5.1 prints one (its default
 * ErrorView, "NormalView"):
 *
 *     Get-Item : Cannot find path 'C:\nope' because it does not exist.
 *     At line:1 char:1
 *     + Get-Item nope
 *     + ~~~~~~~~~~~~~
 *         + CategoryInfo          : ObjectNotFound: (C:\nope:String) [Get-Item], ItemNotFoundException
 *         + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand
 *     (a line holding one space)
 *
 * The `Name : ` prefix appears when the error came from a command; a
 * script file shows `At C:\x.ps1:3 char:5` instead of `At line:3 char:5`.
 * Parse errors put the position first and the message after the marker.
 */
import type { Extent } from '../parser/ast.js';
import { PSObject, type SourceText } from './values.js';

export interface ErrorRecord {
  readonly message: string;
  /** ErrorCategory name: ObjectNotFound, InvalidArgument, NotSpecified, OperationStopped, … */
  readonly category: string;
  /** The exception's short type name (CategoryInfo's Reason). */
  readonly reason: string;
  /** The exception's full type name, for `catch [System.IO.IOException]`. */
  readonly exceptionType: string;
  readonly targetName: string;
  /** The target object's type short name (`String`), '' when there is no target. */
  readonly targetType: string;
  /** CategoryInfo's Activity: the command that failed, '' for the engine. */
  readonly activity: string;
  readonly fullyQualifiedErrorId: string;
  /** The command shown before the message (`Get-Item : …`), '' for none. */
  readonly commandName: string;
  /** Where it happened. */
  position?: { source: SourceText; ext: Extent };
  /** A parse error: the position comes before the message. */
  readonly parseError?: boolean;
  /** The object `throw` threw, returned by $_.TargetObject. */
  readonly targetObject?: unknown;
}

/** A terminating error unwinding the script (RuntimeException and the exceptions PowerShell turns into one). */
export class PSError extends Error {
  override readonly name = 'PSError';
  constructor(readonly record: ErrorRecord) {
    super(record.message);
  }
}

export interface ErrorSpec {
  message: string;
  category?: string;
  reason?: string;
  exceptionType?: string;
  targetName?: string;
  targetType?: string;
  activity?: string;
  id?: string;
  commandName?: string;
  targetObject?: unknown;
}

export function errorRecord(spec: ErrorSpec): ErrorRecord {
  const reason = spec.reason ?? 'RuntimeException';
  return {
    message: spec.message,
    category: spec.category ?? 'NotSpecified',
    reason,
    exceptionType: spec.exceptionType ?? exceptionNamespace(reason),
    targetName: spec.targetName ?? '',
    targetType: spec.targetType ?? (spec.targetName !== undefined ? 'String' : ''),
    activity: spec.activity ?? '',
    fullyQualifiedErrorId: spec.id ?? reason,
    commandName: spec.commandName ?? spec.activity ?? '',
    targetObject: spec.targetObject,
  };
}

function exceptionNamespace(reason: string): string {
  switch (reason) {
    case 'ItemNotFoundException':
    case 'CommandNotFoundException':
    case 'RuntimeException':
    case 'ParameterBindingException':
    case 'ParentContainsErrorRecordException':
    case 'MethodInvocationException':
    case 'PSInvalidCastException':
    case 'ActionPreferenceStopException':
    case 'ScriptCallDepthException':
    case 'PSArgumentException':
      return 'System.Management.Automation.' + reason;
    case 'IOException':
    case 'FileNotFoundException':
    case 'DirectoryNotFoundException':
      return 'System.IO.' + reason;
    case 'UnauthorizedAccessException':
    case 'DivideByZeroException':
    case 'ArgumentException':
    case 'InvalidOperationException':
    case 'FormatException':
    case 'NotSupportedException':
      return 'System.' + reason;
    case 'WebException':
      return 'System.Net.WebException';
    default:
      return reason.includes('.') ? reason : 'System.Management.Automation.' + reason;
  }
}

/** 5.1's PositionMessage: `At line:L char:C`, the line, and `~` under the extent. */
export function positionMessage(source: SourceText, ext: Extent): string {
  const text = source.text;
  const start = Math.min(ext.start, text.length);
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, 0);
  let lineEnd = text.indexOf('\n', start);
  if (lineEnd < 0) lineEnd = text.length;
  let lineText = text.slice(lineStart, lineEnd);
  if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
  const lineNo = text.slice(0, lineStart).split('\n').length;
  const col = start - lineStart;
  const len = Math.max(1, Math.min(ext.end, lineStart + lineText.length) - start);
  const where = source.file ? `At ${source.file}:${lineNo} char:${col + 1}` : `At line:${lineNo} char:${col + 1}`;
  return `${where}\r\n+ ${lineText}\r\n+ ${' '.repeat(col)}${'~'.repeat(len)}`;
}

/** The whole text 5.1 writes for an error record (lines end in CRLF). */
export function formatErrorRecord(r: ErrorRecord): string {
  const target = r.targetName === '' && r.targetType === '' ? ':' : `${r.targetName}:${r.targetType}`;
  const info =
    `    + CategoryInfo          : ${r.category}: (${target}) [${r.activity}], ${r.reason}\r\n` +
    `    + FullyQualifiedErrorId : ${r.fullyQualifiedErrorId}\r\n \r\n`;
  const message = r.message.replace(/\r?\n/g, '\r\n');
  if (r.parseError && r.position) return `${positionMessage(r.position.source, r.position.ext)}\r\n${message}\r\n${info}`;
  const prefix = r.commandName ? `${r.commandName} : ` : '';
  const pos = r.position ? positionMessage(r.position.source, r.position.ext) + '\r\n' : '';
  return `${prefix}${message}\r\n${pos}${info}`;
}

/** The ErrorRecord object scripts see as `$_` in catch and in `$Error`. */
export function errorRecordObject(r: ErrorRecord): PSObject {
  const o = new PSObject(['System.Management.Automation.ErrorRecord', 'System.Object'], () => r.message);
  const exception = new PSObject([r.exceptionType, 'System.Exception', 'System.Object'], () => r.message);
  exception.add('Message', r.message);
  o.add('Exception', exception);
  o.add('TargetObject', r.targetObject ?? (r.targetName || null));
  o.add('FullyQualifiedErrorId', r.fullyQualifiedErrorId);
  const ci = new PSObject(['System.Management.Automation.ErrorCategoryInfo', 'System.Object'], () => `${r.category}: (${r.targetName}:${r.targetType}) [${r.activity}], ${r.reason}`);
  ci.add('Category', r.category).add('Activity', r.activity).add('Reason', r.reason).add('TargetName', r.targetName).add('TargetType', r.targetType);
  o.add('CategoryInfo', ci);
  o.add('ScriptStackTrace', '');
  (o as PSObject & { record?: ErrorRecord }).record = r;
  return o;
}

export function recordOf(v: unknown): ErrorRecord | undefined {
  return v instanceof PSObject ? (v as PSObject & { record?: ErrorRecord }).record : undefined;
}
