# docker-py (python3 docker 7.1.0): container.commit(conf={...}) — the body's
# container.Config merged with the container's as moby's daemon/commit.go does.
import json
import sys

import docker

c = docker.DockerClient(base_url=sys.argv[1], version='1.41')
image = 'mcr.microsoft.com/windows/nanoserver:ltsc2022'
ctr = c.containers.run(image, ['say.exe', 'from', 'run'], name='pyconf', environment=['FROM_RUN=1', 'SHARED=run'], working_dir='C:\\Users', detach=True)
ctr.wait()
out = {}
img = ctr.commit(repository='pyconf', tag='v1', conf={'Cmd': ['say.exe', 'from', 'conf'], 'Env': ['FROM_CONF=2', 'shared=conf'], 'Labels': {'made': 'py'}, 'ExposedPorts': {'8080/tcp': {}}}, changes='ENV FROM_CHANGE=3')
cfg = c.api.inspect_image(img.id)['Config']
out['conf'] = {k: cfg[k] for k in ('Cmd', 'Entrypoint', 'Env', 'WorkingDir', 'Labels', 'ExposedPorts')}
out['conf_run'] = c.containers.run('pyconf:v1', remove=True).decode()
plain = ctr.commit(repository='pyconf', tag='plain')
cfg = c.api.inspect_image(plain.id)['Config']
out['plain'] = {k: cfg[k] for k in ('Cmd', 'Env', 'WorkingDir')}
entry = ctr.commit(repository='pyconf', tag='entry', conf={'Entrypoint': ['say.exe', 'entry']})
cfg = c.api.inspect_image(entry.id)['Config']
out['entry'] = {k: cfg[k] for k in ('Cmd', 'Entrypoint')}
try:
    ctr.commit(conf={'Cmd': 5})
except docker.errors.APIError as e:
    out['bad'] = [e.status_code, e.explanation]
ctr.remove()
print(json.dumps(out))
