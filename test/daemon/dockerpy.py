# docker-py (python3 docker 7.1.0) against the winsilo daemon: the flows
# docker-engine-api.md §3.18 lists. Prints one JSON object with what it saw.
import json, sys
import docker

N = 'mcr.microsoft.com/windows/nanoserver:ltsc2022'
out = {}
c = docker.DockerClient(base_url=sys.argv[1], timeout=20)
out['version_os'] = c.version()['Os']
out['info_ostype'] = c.info()['OSType']
# containers.run(): create, inspect, start, logs(follow), wait, remove — never attaches.
out['run'] = c.containers.run(N, ['say.exe', 'from', 'py'], remove=True).decode()
try:
    c.containers.run(N, ['exitwith.exe', '3'], remove=True)
except docker.errors.ContainerError as e:
    out['run_error'] = e.exit_status
# The low-level attach before start.
ct = c.containers.create(N, ['say.exe', 'attached'])
stream = ct.attach(stream=True, logs=True)
ct.start()
out['attach'] = b''.join(stream).decode()
out['wait'] = ct.wait()
out['logs'] = ct.logs().decode()
ct.reload()
out['status'] = ct.status
out['logconfig'] = ct.attrs['HostConfig']['LogConfig']
ct.remove()
# exec_run upgrades; stats with stream=False must end (gotcha 10).
bg = c.containers.run(N, ['idle.exe'], detach=True, name='pybg')
r = bg.exec_run(['say.exe', 'ex'])
out['exec'] = [r.exit_code, r.output.decode()]
r = bg.exec_run(['exitwith.exe', '6'])
out['exec_code'] = r.exit_code
s = bg.stats(stream=False)
out['stats_keys'] = sorted(k for k in ('cpu_stats', 'memory_stats', 'storage_stats', 'num_procs', 'name', 'id') if k in s)
out['stats_name'] = s['name']
out['listed'] = [x.name for x in c.containers.list()]
bg.remove(force=True)
try:
    c.containers.get('nosuch')
except docker.errors.NotFound as e:
    out['notfound'] = e.explanation
print(json.dumps(out))
