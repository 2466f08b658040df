/**
 * How cmd's file commands print numbers and times, as an en-US Windows
 * Server 2022 container shows them (the container's locale is en-US and its
 * time zone UTC: a container has no time zone of its own configured; DECIDED
 * that the simulated clock's UTC is the local time).
 */

/** `1234567` → `1,234,567` (GetNumberFormat with the en-US grouping). */
export function groupThousands(n: number): string {
  const s = Math.trunc(n).toString();
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `MM/DD/YYYY` (en-US short date with leading zeros, as dir shows it). */
export function shortDate(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** `HH:MM AM` (en-US short time, 12-hour with a leading zero, as dir shows it). */
export function shortTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${two(h12)}:${two(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** dir's date and time columns: `11/23/2026  12:00 PM`. */
export function dirDateTime(ms: number): string {
  return `${shortDate(ms)}  ${shortTime(ms)}`;
}

/** `XXXX-XXXX`, the volume serial as dir and vol print it. */
export function serialText(serial: number): string {
  const hex = (serial >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}
