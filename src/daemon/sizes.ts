/**
 * A container's sizes as `docker ps -s` and `docker system df` show them:
 * SizeRw = the bytes its sandbox holds of its own (the block store's
 * exclusive bytes of the sandbox disk: what its writes added over the
 * image), SizeRootFs = that plus the image's size.
 */
import type { Container, Host } from '../host/host.js';
import { ImageStore } from '../images/store.js';
import { STATUS_SUCCESS } from '../core/ntstatus.js';

export function containerSizes(host: Host, c: Container): { rw: number; rootFs: number } {
  const image = ImageStore.size(c.imageRecord);
  const disk = c.record().sandbox?.disk;
  if (disk === undefined) return { rw: 0, rootFs: image };
  const st = host.blocks.stats(disk);
  const rw = st.status === STATUS_SUCCESS ? st.exclusiveBytes : 0;
  return { rw, rootFs: rw + image };
}
