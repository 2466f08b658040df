/**
 * What cmd's phase 2 builds from a line (or a parenthesised block spanning
 * lines): the cached command block. Texts here have had phase 1 (percent
 * expansion) and phase 2's caret escapes outside quotes applied; FOR
 * variables and `!VAR!` are replaced only when a command runs (phases 4, 5).
 */

/** `N>file`, `N>>file`, `N<file`, `N>&M`, `N<&M` (handles 0–9). */
export interface Redirection {
  readonly handle: number;
  readonly op: '>' | '>>' | '<' | '>&' | '<&';
  /** The file name as typed (quotes kept), or the handle digit for `>&`. */
  readonly target: string;
}

export type IfTest =
  | { readonly kind: 'exist'; readonly path: string }
  | { readonly kind: 'defined'; readonly name: string }
  | { readonly kind: 'errorlevel'; readonly value: string }
  | { readonly kind: 'cmdextversion'; readonly value: string }
  | { readonly kind: 'compare'; readonly op: '==' | 'EQU' | 'NEQ' | 'LSS' | 'LEQ' | 'GTR' | 'GEQ'; readonly left: string; readonly right: string };

export type ForKind = 'plain' | 'd' | 'r' | 'l' | 'f';

export type Command =
  | { readonly kind: 'simple'; readonly text: string; readonly redirs: readonly Redirection[]; readonly quiet: boolean }
  | { readonly kind: 'block'; readonly body: Command | undefined; readonly redirs: readonly Redirection[]; readonly quiet: boolean }
  | {
      readonly kind: 'if';
      readonly ignoreCase: boolean;
      readonly negate: boolean;
      readonly test: IfTest;
      readonly then: Command;
      readonly else: Command | undefined;
      readonly quiet: boolean;
    }
  | {
      readonly kind: 'for';
      readonly forKind: ForKind;
      /** /R's root, or /F's options string (quotes removed). */
      readonly param: string;
      /** The variable letter. */
      readonly variable: string;
      /** The text between the parentheses. */
      readonly set: string;
      readonly body: Command;
      readonly quiet: boolean;
    }
  | { readonly kind: 'rem'; readonly text: string; readonly quiet: boolean }
  | { readonly kind: 'label'; readonly quiet: boolean }
  | { readonly kind: 'seq' | 'and' | 'or' | 'pipe'; readonly left: Command; readonly right: Command; readonly quiet: boolean };
