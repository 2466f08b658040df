// Many containers on one host (issue 6's 1000-container property): each a
// process-isolated servercore system created and started, all running at
// once with their own silo, session and sandbox. 100 by default; 1000 under
// WINSILO_DEEP=1. Time and RSS are printed (bench/ holds the targets).
import { describe, expect, test } from 'vitest';
import { containerId, newTestHost } from './support.js';

const COUNT = process.env.WINSILO_DEEP ? 1000 : 100;

describe(`${COUNT} process-isolated servercore systems`, () => {
  test('created and started, each with its own silo, session and sandbox; all terminate cleanly', () => {
    const h = newTestHost();
    const image = h.image();
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const systems = [];
    for (let i = 0; i < COUNT; i++) {
      const s = h.service.createComputeSystem(containerId(`scale-${i}`), { Owner: 'docker', Image: image });
      s.start();
      systems.push(s);
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const rssMiB = (process.memoryUsage().rss - rss0) / 2 ** 20;
    console.log(`${COUNT} servercore containers created+started: ${ms.toFixed(0)} ms (${(ms / COUNT).toFixed(2)} ms each; CPU ${cpuMs.toFixed(0)} ms), RSS +${rssMiB.toFixed(0)} MiB`);
    expect(systems.every((s) => s.state === 'Running')).toBe(true);
    expect(new Set(systems.map((s) => s.silo!.id)).size).toBe(COUNT);
    expect(new Set(systems.map((s) => s.silo!.sessionId)).size).toBe(COUNT);
    expect(new Set(systems.map((s) => s.sandbox.disk)).size).toBe(COUNT);
    expect(h.service.enumerateComputeSystems({ Owners: ['docker'] })).toHaveLength(COUNT);
    for (const s of systems) s.close({ deleteSandbox: true });
    expect(h.kernel.silos()).toEqual([]);
    expect(h.service.enumerateComputeSystems()).toEqual([]);
  });
});
