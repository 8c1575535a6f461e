SELECT /*+ BROADCAST(o */ * FROM orders o
