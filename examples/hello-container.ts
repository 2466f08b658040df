/**
 * Embedding winsilo: a host in memory, a TypeScript function registered as
 * C:\Windows\System32\hello.exe, a Server Core container that runs it under
 * a 512 MiB job memory limit, its output and its job accounting.
 *
 *   npm run build && node dist/examples/hello-container.js
 */
import { Host } from 'winsilo';

const host = await Host.open();
host.registerProgram('C:\\Windows\\System32\\hello.exe', async (ctx) => {
  const build = ctx.registry!.getValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentBuild').data;
  await ctx.stdout.write(`Hello from ${ctx.env.get('COMPUTERNAME')}: PID ${ctx.pid}, session ${ctx.sessionId}, build ${String(build)}, args ${JSON.stringify(ctx.argv.slice(1))}\r\n`);
  return 7;
});

await host.pull('mcr.microsoft.com/windows/servercore:ltsc2022');
const container = await host.createContainer({
  image: 'mcr.microsoft.com/windows/servercore:ltsc2022',
  cmd: ['hello.exe', 'one', 'two words'],
  memory: 512 * 2 ** 20,
});
const io = await container.start();
for (let chunk = await io.stdout!.read(); chunk !== null; chunk = await io.stdout!.read()) process.stdout.write(chunk);
const code = await container.wait();
console.log(`exit code ${code}`);
await container.remove();
await host.close();
