/**
 * Registry values: checking what a caller hands RegSetValueEx, and copying
 * values in and out so that no caller can reach into a hive (a layer's
 * bytes are shared by every container on the image).
 */
import { ERROR_INVALID_PARAMETER, Win32Error } from '../../core/win32.js';
import { REGISTRY_LIMITS } from './limits.js';
import {
  REG_BINARY,
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_EXPAND_SZ,
  REG_LINK,
  REG_MULTI_SZ,
  REG_NONE,
  REG_QWORD,
  REG_SZ,
  type RegistryValue,
} from './types.js';

const QWORD_MAX = (1n << 64n) - 1n;

/** Why `v` is not a value we can store, or undefined if it is one. */
export function valueProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'not a value';
  const { name, type, data } = v as { name?: unknown; type?: unknown; data?: unknown };
  if (typeof name !== 'string') return 'the value name is not a string';
  if (name.length > REGISTRY_LIMITS.maxValueNameLength) return `the value name is longer than ${REGISTRY_LIMITS.maxValueNameLength} characters`;
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
    case REG_LINK:
      return typeof data === 'string' ? undefined : 'string data expected';
    case REG_MULTI_SZ:
      return Array.isArray(data) && data.every((s) => typeof s === 'string') ? undefined : 'an array of strings expected';
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN:
      return typeof data === 'number' && Number.isInteger(data) && data >= 0 && data <= 0xffffffff ? undefined : 'a 32-bit unsigned integer expected';
    case REG_QWORD:
      return typeof data === 'bigint' && data >= 0n && data <= QWORD_MAX ? undefined : 'a 64-bit unsigned bigint expected';
    case REG_BINARY:
    case REG_NONE:
      return data instanceof Uint8Array ? undefined : 'a Uint8Array expected';
    default:
      return `unknown value type ${String(type)}`;
  }
}

/** Checks a value a caller wants stored; ERROR_INVALID_PARAMETER if it cannot be. Returns a private copy. */
export function checkValue(op: string, object: string, v: unknown): RegistryValue {
  const problem = valueProblem(v);
  if (problem !== undefined) throw new Win32Error(op, ERROR_INVALID_PARAMETER, `${object} (${problem})`);
  return cloneValue(v as RegistryValue);
}

/** A copy sharing nothing mutable with `v`, under `name` if given. */
export function cloneValue(v: RegistryValue, name: string = v.name): RegistryValue {
  switch (v.type) {
    case REG_MULTI_SZ:
      return { name, type: v.type, data: [...v.data] };
    case REG_BINARY:
    case REG_NONE:
      return { name, type: v.type, data: new Uint8Array(v.data) };
    default:
      return { ...v, name } as RegistryValue;
  }
}

/** Same type and same data (names not compared). */
export function sameData(a: RegistryValue, b: RegistryValue): boolean {
  if (a.type !== b.type) return false;
  if (a.type === REG_MULTI_SZ) {
    const bd = b.data as string[];
    return a.data.length === bd.length && a.data.every((s, i) => s === bd[i]);
  }
  if (a.type === REG_BINARY || a.type === REG_NONE) {
    const bd = b.data as Uint8Array;
    return a.data.length === bd.length && a.data.every((x, i) => x === bd[i]);
  }
  return a.data === b.data;
}
