# docker-py (python3 docker 7.1.0) on the image endpoints: container.commit,
# image.save (a generator of chunks), images.load (the "Loaded image" lines),
# images.push with an auth_config (X-Registry-Auth) and stream/decode, and
# images.pull from the registry. Prints one JSON object for the test.
import json
import sys

import docker

c = docker.DockerClient(base_url=sys.argv[1], timeout=60)
registry = sys.argv[2]
out = {}

ctr = c.containers.run('mcr.microsoft.com/windows/nanoserver:ltsc2022', ['write.exe', 'C:\\py.txt', 'from python'], name='pycommit', detach=True)
ctr.wait()
img = ctr.commit(repository=f'{registry}/py', tag='v1', message='python commit', author='py')
out['commit_id'] = img.id.startswith('sha256:')
out['commit_tags'] = img.tags

data = b''.join(img.save(named=True))
out['saved_is_tar'] = data[257:262] == b'ustar'
c.images.remove(f'{registry}/py:v1')
loaded = c.images.load(data)
out['loaded'] = [i.tags for i in loaded]

statuses = []
for m in c.images.push(f'{registry}/py', tag='v1', stream=True, decode=True, auth_config={'username': 'u', 'password': 'p'}):
    if 'status' in m:
        statuses.append(m['status'])
    if 'error' in m:
        statuses.append('ERROR ' + m['error'])
out['push_first'] = statuses[0]
out['push_last'] = statuses[-1].split(':')[0]
out['push_pushed'] = 'Pushed' in statuses or 'Layer already exists' in statuses

c.images.remove(f'{registry}/py:v1', force=True)
pulled = c.images.pull(f'{registry}/py', tag='v1')
out['pulled_tags'] = pulled.tags
out['pulled_digests'] = len(pulled.attrs['RepoDigests'])
print(json.dumps(out))
