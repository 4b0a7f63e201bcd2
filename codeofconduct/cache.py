"""Django's Redis cache, holding one redis-py client per connection pool.

Django's client makes a new ``redis.Redis`` for every call (the connection comes from the pool
either way), and redis-py builds its table of about 340 reply handlers for each: 0.15 ms a call,
which every signed-in page pays at least once (its session). A custom cache client is the extension
Django's ``RedisCacheClient.get_client`` is written for; redis-py's clients are safe to share
between threads.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClients
