"""A docker-py session through dockmatrix proxy (driven by tests/proxy_docker_py.rs).

usage: docker_py_session.py BASE_URL BUSYBOX_TAR TAG [--expect-refused]
"""
import socket
import struct
import sys
import time

import docker

base_url, tar, tag = sys.argv[1], sys.argv[2], sys.argv[3]
image = "dmx-busybox:latest"
client = docker.DockerClient(base_url=base_url, version="auto", timeout=60)
api = client.api

assert client.version()["ApiVersion"].startswith("1."), "version"
with open(tar, "rb") as f:
    api.import_image_from_data(f.read(), repository="dmx-busybox", tag="latest")
assert any(image in i.tags for i in client.images.list()), "images"

out = client.containers.run(image, ["echo", "hi"], remove=True)
assert out == b"hi\n", out

sleeper = client.containers.run(image, ["sleep", "60"], detach=True, name="sleeper-" + tag)
exec_id = api.exec_create(sleeper.id, ["cat"], stdin=True)["Id"]
sock = api.exec_start(exec_id, socket=True)
raw = sock._sock
raw.sendall(b"through stdin\n")
raw.shutdown(socket.SHUT_WR)
data = b""
while True:
    chunk = raw.recv(4096)
    if not chunk:
        break
    data += chunk
payload = b""
while len(data) >= 8:
    _, size = struct.unpack(">BxxxL", data[:8])
    payload += data[8 : 8 + size]
    data = data[8 + size :]
assert payload == b"through stdin\n", payload

logger = client.containers.run(
    image, ["sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.2; done"], detach=True
)
logs = b"".join(logger.logs(stream=True, follow=True))
assert logs == b"line1\nline2\nline3\n", logs

volume = client.volumes.create("vol-" + tag)
volume.remove()
network = client.networks.create("net-" + tag)
network.connect(sleeper)
network.disconnect(sleeper)
network.remove()
sleeper.remove(force=True)
logger.remove(force=True)

events = list(api.events(since=0, until=int(time.time()) + 2, decode=True))
actions = {(e.get("Type"), e.get("Action")) for e in events}
assert ("container", "create") in actions and ("volume", "create") in actions, actions

if "--expect-refused" in sys.argv:
    try:
        client.volumes.list()
    except docker.errors.APIError as e:
        assert e.status_code == 403, e
        print("refused:", e.explanation)
    else:
        raise AssertionError("volumes.list() was let through")
print("session ok")
