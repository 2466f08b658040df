/**
 * What an image is inside winsilo (windows-facts §4): an ordered list of
 * layers, each a snapshotted `blocks` disk holding the whole C: volume as of
 * that layer (a clone of the layer below plus its own changes, so a
 * container's sandbox is one O(1) clone of the top layer) and the registry
 * hives that layer changes; plus the image config docker shows.
 */
import type { Hive } from '../kernel/registry/index.js';
import type { BaseFlavor, BaseImageSpec } from './base/catalog.js';

/** The hive files a Windows layer carries (`Hives/` in the layer tar), by their names under System32\config. */
export type HiveName = 'SYSTEM' | 'SOFTWARE' | 'SAM' | 'SECURITY' | 'DEFAULT' | 'USER';
export const HIVE_NAMES: readonly HiveName[] = ['SYSTEM', 'SOFTWARE', 'SAM', 'SECURITY', 'DEFAULT', 'USER'];

export interface Layer {
  /** `sha256:…` of the layer's content (its disk delta against the parent layer and its hive bytes). */
  readonly diffId: string;
  /** The layer's disk in the host's block store: snapshotted (read-only), the whole volume as of this layer. */
  readonly disk: number;
  /** The hives this layer adds or changes (sealed); absent ones are unchanged from the layer below. */
  readonly hives: Readonly<Partial<Record<HiveName, Hive>>>;
  /** Bytes this layer really stores: its own blocks plus its hive bytes. */
  readonly size: number;
  /** Microsoft's base layers are foreign (never pushed to other registries). */
  readonly foreign: boolean;
  /** `docker history`'s CREATED BY, and when. */
  readonly createdBy: string;
  readonly created: string;
}

/** The image config fields docker shows and the host uses (Engine API names). */
export interface ImageConfig {
  Cmd: string[] | null;
  Entrypoint: string[] | null;
  Env: string[] | null;
  User: string;
  WorkingDir: string;
  ExposedPorts: Record<string, Record<string, never>> | null;
  Labels: Record<string, string> | null;
  /** VOLUME (Engine API `Volumes`: path → {}); absent: none. */
  Volumes?: Record<string, Record<string, never>> | null;
  /** STOPSIGNAL; absent: the default. */
  StopSignal?: string;
  /** HEALTHCHECK (durations in nanoseconds, as the Engine API); absent: the parent's or none. */
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
  /** SHELL: the shell form's prefix (absent: Windows' default `cmd /S /C`). */
  Shell?: string[];
  /** ONBUILD triggers. */
  OnBuild?: string[] | null;
  /**
   * Windows: Cmd/Entrypoint hold one already-escaped command line (a
   * Dockerfile's shell form, `cmd /S /C …`): the runtime takes it as the
   * command line instead of quoting it (moby daemon/oci_windows.go).
   */
  ArgsEscaped?: boolean;
}

export interface Image {
  /** `sha256:…` of the image's config. */
  readonly id: string;
  repoTags: string[];
  readonly created: string;
  readonly os: 'windows';
  /** e.g. `10.0.20348.5499`. */
  readonly osVersion: string;
  readonly architecture: 'amd64';
  readonly config: ImageConfig;
  /** Lowest first. */
  readonly layers: readonly Layer[];
  /** What the container boots as: servercore, nanoserver or iis. */
  readonly flavor: BaseFlavor | 'iis';
  /** The user a process runs as when the config names none. */
  readonly defaultUser: string;
  /** The Microsoft base image it is built on (version facts, environment). */
  readonly base: BaseImageSpec;
  /**
   * The image this one was built on by a Dockerfile step (moby's image
   * store parent: `docker images` hides untagged images that have children,
   * prune skips them); absent: none recorded. Kept on a data root
   * (ImageRecord.parent); set later only by `--cache-from` (moby SetParent).
   */
  parent?: string;
  /** `repository@sha256:…` per registry it was pushed to or pulled from (docker's RepoDigests); absent: none. */
  repoDigests?: string[];
}
