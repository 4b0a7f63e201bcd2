"""The Redis cache production uses (codeofconduct/cache.py), against a real redis-server."""

import shutil
import threading

from codeofconduct.cache import RedisCache
from tests.conftest import need
from tests.support import free_port, redis_server


def test_one_client_serves_every_call_and_every_thread(tmp_path):
    need(shutil.which("redis-server") is not None, "redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    with redis_server(tmp_path, port):
        cache = RedisCache(f"redis://127.0.0.1:{port}/0", {"KEY_PREFIX": "t"})
        cache.set("text", b"x" * 100_000)
        assert cache.get("text") == b"x" * 100_000
        assert cache.get_many(["text", "gone"]) == {"text": b"x" * 100_000}

        errors = []

        def reader(n):
            try:
                for i in range(200):
                    cache.set(f"k{n}", i)
                    assert cache.get(f"k{n}") == i
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        client = cache._cache.get_client()
        assert cache._cache.get_client("any") is client and cache._cache.get_client(write=True) is client
        # Connections come back to the pool: eight threads never needed more than eight.
        assert len(client.connection_pool._available_connections) <= 8
    cache.close()
