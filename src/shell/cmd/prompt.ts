/**
 * PROMPT's codes (Microsoft Learn "prompt"): $A & $B | $C ( $D date $E ESC
 * $F ) $G > $H backspace $L < $N drive $P drive and path $Q = $S space
 * $T time $V version $_ CR LF $$ $ $+ one `+` per PUSHD level $M remote
 * name (none here). Default `$P$G`.
 */
export interface PromptContext {
  cwd: string;
  date: string;
  time: string;
  version: string;
  pushdDepth: number;
}

export function expandPrompt(template: string, pc: PromptContext): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$' || i + 1 >= template.length) {
      out += c;
      continue;
    }
    const k = template[++i]!.toUpperCase();
    switch (k) {
      case 'A': out += '&'; break;
      case 'B': out += '|'; break;
      case 'C': out += '('; break;
      case 'D': out += pc.date; break;
      case 'E': out += '\x1b'; break;
      case 'F': out += ')'; break;
      case 'G': out += '>'; break;
      case 'H': out += '\b'; break;
      case 'L': out += '<'; break;
      case 'N': out += pc.cwd.slice(0, 1); break;
      case 'P': out += pc.cwd; break;
      case 'Q': out += '='; break;
      case 'S': out += ' '; break;
      case 'T': out += pc.time; break;
      case 'V': out += pc.version; break;
      case '_': out += '\r\n'; break;
      case '$': out += '$'; break;
      case '+': out += '+'.repeat(pc.pushdDepth); break;
      case 'M': break;
      default: break; // an unknown code prints nothing
    }
  }
  return out;
}
