/**
 * Keys from the bytes a terminal sends (what ConPTY's input state machine
 * turns into KEY_EVENT records for conhost): UTF-8 text, C0 controls, and
 * the xterm escape sequences for the editing keys (xterm ctlseqs, "PC-Style
 * Function Keys"; Microsoft Learn, "Console Virtual Terminal Sequences",
 * Input Sequences):
 *
 *   Up/Down/Right/Left  CSI A/B/C/D, SS3 A/B/C/D (application cursor mode),
 *                       CSI 1;<mod> A… with modifiers (mod − 1: 1 Shift, 2 Alt, 4 Ctrl)
 *   Home/End            CSI H / CSI F, SS3 H/F, CSI 1~ / CSI 4~ (and 7~ / 8~, rxvt)
 *   Insert / Delete     CSI 2~ / CSI 3~
 *   PgUp / PgDn         CSI 5~ / CSI 6~
 *   Shift+Tab           CSI Z
 *   Enter CR, Backspace DEL (0x7F) or BS (0x08), Tab HT, Esc a lone ESC.
 *
 * Input arrives in chunks that may split a sequence or a UTF-8 character
 * anywhere: the decoder keeps its state between calls. A lone ESC at the
 * end of a chunk stays pending until more input or `flushEscape()` (the
 * reader's timeout) decides it was the Esc key.
 *
 * DECIDED where terminals and conhost leave a choice:
 *  - LF alone ends a line like CR, and the LF of a CR LF pair is part of the
 *    same Enter (a paste, or a program writing to the console's input).
 *  - ESC followed by a printable character (Alt+key) inserts the character.
 *  - Other C0 controls, function keys, focus reports and bracketed-paste
 *    markers are ignored.
 */

export type EditKey = 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'insert' | 'delete' | 'pageUp' | 'pageDown';

export type Key =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'enter' }
  | { readonly type: 'backspace' }
  | { readonly type: 'tab'; readonly shift: boolean }
  | { readonly type: 'escape' }
  | { readonly type: EditKey; readonly ctrl: boolean; readonly shift: boolean; readonly alt: boolean };

const ENTER: Key = { type: 'enter' };
const BACKSPACE: Key = { type: 'backspace' };
const TAB: Key = { type: 'tab', shift: false };
const SHIFT_TAB: Key = { type: 'tab', shift: true };
const ESCAPE: Key = { type: 'escape' };

const ESC = 0x1b;
const CR = 0x0d;
const LF = 0x0a;

/** CSI <n> ~ : the key for n. */
const TILDE_KEYS: Readonly<Record<number, EditKey>> = {
  1: 'home',
  2: 'insert',
  3: 'delete',
  4: 'end',
  5: 'pageUp',
  6: 'pageDown',
  7: 'home',
  8: 'end',
};

/** The final byte of CSI/SS3 cursor-key sequences. */
const LETTER_KEYS: Readonly<Record<string, EditKey>> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };

/** Receives each key; returns false to stop decoding after it (the line ended). */
export type KeySink = (key: Key) => boolean;

export class KeyDecoder {
  private state: 'ground' | 'esc' | 'csi' | 'ss3' | 'utf8' = 'ground';
  private params = '';
  private codePoint = 0;
  private need = 0;
  /** The last key was a CR: an LF right after it belongs to it. */
  private afterCr = false;
  private text = '';

  /** True when a lone ESC waits for what follows. */
  get escapePending(): boolean {
    return this.state === 'esc';
  }

  /**
   * Decodes `bytes`, giving each key to `sink`. Returns the number of bytes
   * used: all of them, unless `sink` returned false — then the bytes up to
   * the end of that key (with the LF of a CR LF pair when it is there).
   */
  feed(bytes: Uint8Array, sink: KeySink): number {
    let i = 0;
    const n = bytes.length;
    while (i < n) {
      const b = bytes[i++]!;
      if (this.afterCr) {
        this.afterCr = false;
        if (b === LF && this.state === 'ground') continue;
      }
      switch (this.state) {
        case 'ground':
          if (b >= 0x20 && b < 0x7f) {
            this.text += String.fromCharCode(b);
            continue;
          }
          if (b >= 0xc0 && b < 0xf8) {
            this.need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
            this.codePoint = b & (b >= 0xf0 ? 0x07 : b >= 0xe0 ? 0x0f : 0x1f);
            this.state = 'utf8';
            continue;
          }
          if (!this.control(b, sink)) return this.stopAt(bytes, i);
          continue;
        case 'utf8':
          if ((b & 0xc0) !== 0x80) {
            // A broken sequence: drop it and look at this byte afresh.
            this.state = 'ground';
            i--;
            continue;
          }
          this.codePoint = (this.codePoint << 6) | (b & 0x3f);
          if (--this.need === 0) {
            this.state = 'ground';
            if (this.codePoint <= 0x10ffff && (this.codePoint < 0xd800 || this.codePoint > 0xdfff)) this.text += String.fromCodePoint(this.codePoint);
          }
          continue;
        case 'esc':
          if (b === 0x5b) {
            this.state = 'csi';
            this.params = '';
          } else if (b === 0x4f) this.state = 'ss3';
          else if (b >= 0x20 && b < 0x7f) {
            this.state = 'ground';
            this.text += String.fromCharCode(b);
          } else {
            // ESC then a control (another ESC, Enter…): the Esc key, then that byte.
            this.state = 'ground';
            if (!this.emit(ESCAPE, sink)) return this.stopAt(bytes, i - 1);
            i--;
          }
          continue;
        case 'csi':
          if (b >= 0x40 && b <= 0x7e) {
            this.state = 'ground';
            const key = csiKey(this.params, String.fromCharCode(b));
            if (key && !this.emit(key, sink)) return this.stopAt(bytes, i);
          } else if (b >= 0x20) this.params += String.fromCharCode(b);
          else {
            // A control inside a sequence is executed (VT parsing); the sequence goes on.
            if (!this.control(b, sink)) return this.stopAt(bytes, i);
          }
          continue;
        case 'ss3': {
          this.state = 'ground';
          const k = LETTER_KEYS[String.fromCharCode(b)];
          if (k && !this.emit({ type: k, ctrl: false, shift: false, alt: false }, sink)) return this.stopAt(bytes, i);
          continue;
        }
      }
    }
    this.flushText(sink);
    return n;
  }

  /** The reader's ESC timeout: a pending lone ESC was the Esc key. */
  flushEscape(sink: KeySink): void {
    if (this.state !== 'esc') return;
    this.state = 'ground';
    sink(ESCAPE);
  }

  /** A C0 control (or DEL) in the ground state; false when the sink stopped. */
  private control(b: number, sink: KeySink): boolean {
    switch (b) {
      case CR:
        this.afterCr = true;
        return this.emit(ENTER, sink);
      case LF:
        return this.emit(ENTER, sink);
      case 0x7f:
      case 0x08:
        return this.emit(BACKSPACE, sink);
      case 0x09:
        return this.emit(TAB, sink);
      case ESC:
        if (!this.flushText(sink)) return false;
        this.state = 'esc';
        return true;
    }
    return true;
  }

  private emit(key: Key, sink: KeySink): boolean {
    if (!this.flushText(sink)) return false;
    return sink(key);
  }

  private flushText(sink: KeySink): boolean {
    if (this.text === '') return true;
    const text = this.text;
    this.text = '';
    return sink({ type: 'text', text });
  }

  /** Stopped after the byte before `i`: take the LF of a CR LF pair too. */
  private stopAt(bytes: Uint8Array, i: number): number {
    this.text = '';
    if (this.afterCr && i < bytes.length && bytes[i] === LF) {
      this.afterCr = false;
      return i + 1;
    }
    return i;
  }
}

function csiKey(params: string, final: string): Key | undefined {
  if (final === 'Z') return SHIFT_TAB;
  const parts = params.split(';');
  const mod = Math.max(0, (Number.parseInt(parts[1] ?? '', 10) || 1) - 1);
  const mods = { shift: (mod & 1) !== 0, alt: (mod & 2) !== 0, ctrl: (mod & 4) !== 0 };
  if (final === '~') {
    const k = TILDE_KEYS[Number.parseInt(parts[0] ?? '', 10)];
    return k ? { type: k, ...mods } : undefined;
  }
  const k = LETTER_KEYS[final];
  // Private-parameter sequences (CSI ? …, CSI < … mouse) are not keys.
  if (!k || /^[<=>?]/.test(params)) return undefined;
  return { type: k, ...mods };
}
