SELECT /*+ COALESCE(1) */ * FROM stores
