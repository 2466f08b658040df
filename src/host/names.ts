/**
 * Container ids and names as docker makes them: a 64-hex-digit id (its
 * first 12 digits are the short id, the default host name and, in
 * capitals, COMPUTERNAME) and, when `--name` is not given, an
 * `adjective_surname` name. The word lists are winsilo's own (docker's
 * names-generator has its own lists); the surnames are people who built
 * Windows NT and the ideas under it.
 */
import { randomBytes } from 'node:crypto';

const ADJECTIVES = [
  'agile', 'bold', 'brave', 'bright', 'calm', 'clever', 'eager', 'gallant', 'gentle', 'happy',
  'jolly', 'keen', 'kind', 'lucid', 'merry', 'nifty', 'patient', 'quiet', 'quirky', 'serene',
  'sharp', 'steady', 'swift', 'tender', 'vivid', 'wise', 'witty', 'zealous',
];
const SURNAMES = [
  'allchin', 'cutler', 'dijkstra', 'hopper', 'kay', 'knuth', 'lamport', 'liskov', 'lovelace', 'lucovsky',
  'perazzoli', 'ritchie', 'russinovich', 'solomon', 'thompson', 'turing', 'wirth', 'wood', 'yuval', 'zuse',
];

/** A source of random bytes: crypto by default; tests inject a seeded one. */
export type RandomSource = (bytes: number) => Uint8Array;

export const cryptoRandom: RandomSource = (n) => randomBytes(n);

export function newContainerId(random: RandomSource): string {
  return Buffer.from(random(32)).toString('hex');
}

/** An unused `adjective_surname`, with a digit appended after a collision, as docker retries. */
export function newContainerName(random: RandomSource, taken: (name: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const r = random(2);
    const name = `${ADJECTIVES[r[0]! % ADJECTIVES.length]}_${SURNAMES[r[1]! % SURNAMES.length]}${attempt > 0 ? String(attempt) : ''}`;
    if (!taken(name)) return name;
  }
}

/** docker's rule for `--name`: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (moby daemon/names.go validContainerNamePattern). */
export const VALID_CONTAINER_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
